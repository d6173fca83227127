import shlex

import pytest

from conftest import parse_lines, run_module, write_config
from lade_torch import launchfile
from test_train import check_run_folder


def test_two_process_cpu_run_trains_and_rank_zero_alone_writes(tiny_data, tmp_path):
    run_dir = str(tmp_path / "ddp")
    config = write_config(str(tmp_path / "c.json"), tiny_data, run_dir, epochs=2)
    out = run_module("lade_torch.launch", "--nproc", "2", "--", "--config", config, "--device", "cpu", timeout=120)
    assert out.returncode == 0, out.stderr
    messages = parse_lines(out.stdout)
    assert messages[0]["type"] == "log" and messages[0]["message"].startswith("launch: ")
    assert "2 processes (DDP, gloo)" in next(m["message"] for m in messages if m["type"] == "log" and m["message"].startswith("backend"))
    # One process talks: one result, one record per epoch.
    assert [m["type"] for m in messages].count("result") == 1
    assert [m["record"]["epoch"] for m in messages if m["type"] == "epoch"] == [1, 2]
    run = check_run_folder(run_dir, tiny_data, processes=2)
    assert len(run["history"]) == 2
    progress = [m["progress"] for m in messages if m["type"] == "progress" and m["progress"]["phase"] == "train"]
    # The global batch of 8 is split 4 + 4, so an epoch has the single-process step count: 17 images per process // 4.
    assert progress[-1]["steps"] == 4


def test_torchrun_launch_file_is_a_multi_node_command():
    text = launchfile.torchrun_text(3, 4, "cfg dir/c.json")
    command = [l for l in text.splitlines() if l.startswith("torchrun")][0]
    args = shlex.split(command)
    assert args[args.index("--nnodes") + 1] == "3" and args[args.index("--nproc_per_node") + 1] == "4"
    assert args[args.index("--rdzv_backend") + 1] == "c10d"
    assert args[args.index("-m") + 1] == "lade_torch.train" and args[args.index("--config") + 1] == "cfg dir/c.json"


def test_slurm_script_has_sbatch_lines_and_srun_torchrun():
    text = launchfile.slurm_text(2, 8, "c.json", "lade")
    lines = text.splitlines()
    assert lines[0] == "#!/bin/bash"
    sbatch = dict(l[len("#SBATCH --"):].split("=", 1) for l in lines if l.startswith("#SBATCH"))
    assert sbatch["nodes"] == "2" and sbatch["gpus-per-node"] == "8" and sbatch["ntasks-per-node"] == "1"
    # No #SBATCH after the first command: sbatch stops reading them there.
    first_command = next(i for i, l in enumerate(lines) if l and not l.startswith("#"))
    assert all(not l.startswith("#SBATCH") for l in lines[first_command:])
    srun = next(l for l in lines if l.startswith("srun torchrun"))
    assert '--rdzv_endpoint "$HEAD_NODE:29500"' in srun and "--nproc_per_node 8" in srun
    assert "scontrol show hostnames" in text


def test_skypilot_yaml_parses_with_nodes_and_a_torchrun_run():
    text = launchfile.skypilot_text(4, 2, "c.json", "A100", "lade")
    yaml = pytest.importorskip("yaml")
    task = yaml.safe_load(text)
    assert task["num_nodes"] == 4 and task["resources"]["accelerators"] == "A100:2"
    assert "torchrun" in task["run"] and "$SKYPILOT_NODE_RANK" in task["run"] and "$SKYPILOT_NUM_GPUS_PER_NODE" in task["run"]
    assert "--config c.json" in task["run"]


def test_launchfile_cli_prints_each_kind(capsys):
    for kind, marker in (("torchrun", "torchrun --nnodes 2"), ("slurm", "#SBATCH --nodes=2"), ("skypilot", "num_nodes: 2")):
        assert launchfile.main(["--kind", kind, "--nodes", "2", "--gpus-per-node", "1", "--config", "c.json"]) == 0
        assert marker in capsys.readouterr().out
