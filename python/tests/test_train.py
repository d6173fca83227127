"""The training entry as the host runs it: one process, JSON lines on stdout, a run folder on disk."""
import json
import os
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch

from conftest import REPO, env, parse_lines, run_module, write_config
from lade_torch import train
from lade_torch.batches import normalise
from lade_torch.dataset import hold_out_validation, list_dataset
from lade_torch.images import decode

PROGRESS_FIELDS = {"phase", "epoch", "epochs", "step", "steps", "loss", "accuracy", "lr", "imagesPerSec", "etaSec", "backend", "backendReason"}
EPOCH_FIELDS = {"epoch", "loss", "trainAccuracy", "valAccuracy", "lr", "seconds", "imagesPerSec"}
RUN_FIELDS = {"version", "name", "status", "loss", "origin", "classes", "trainCounts", "sourcePrior", "evalSplits", "finalAccuracy",
              "input", "config", "backend", "history", "timings", "startedAt", "finishedAt"}


def check_run_folder(run_dir: str, data_dir: str, processes: int = 1) -> dict:
    with open(os.path.join(run_dir, "run.json")) as f:
        run = json.load(f)
    assert RUN_FIELDS <= set(run)
    assert run["version"] == 2 and run["status"] == "completed" and run["loss"] == "lade"
    assert run["origin"] == {"kind": "trained", "engine": "torch", "processes": processes}
    assert run["classes"] == ["ant", "bee", "cat"]
    listing = list_dataset(data_dir)
    train, val = hold_out_validation(listing.splits["train"], 3, 0.2, run["config"]["seed"])
    assert run["trainCounts"] == [sum(s.label == c for s in train) for c in range(3)]
    assert run["sourcePrior"] == pytest.approx([n / len(train) for n in run["trainCounts"]])
    assert run["evalSplits"] == [{"name": "val", "count": len(val)}]
    assert run["input"] == {"size": 12, "channels": 1, "mean": 0.5, "std": 0.25}
    assert run["backend"]["name"] == "torch-cpu"
    logits = np.fromfile(os.path.join(run_dir, "logits-val.bin"), dtype="<f4").reshape(len(val), 3)
    labels = np.fromfile(os.path.join(run_dir, "labels-val.bin"), dtype="<i4")
    assert labels.tolist() == [s.label for s in val]
    with open(os.path.join(run_dir, "files-val.txt")) as f:
        assert f.read().splitlines() == [os.path.relpath(s.path, data_dir) for s in val]
    assert run["finalAccuracy"]["val"] == pytest.approx(100 * float((logits.argmax(1) == labels).mean()))
    assert os.path.getsize(os.path.join(run_dir, "model.onnx")) > 1000
    assert os.path.isfile(os.path.join(run_dir, "checkpoint.pt"))
    assert not [f for f in os.listdir(run_dir) if ".tmp-" in f]
    return run


def test_one_epoch_writes_a_valid_run_folder_and_speaks_the_protocol(tiny_data, tmp_path):
    run_dir = str(tmp_path / "run")
    config = write_config(str(tmp_path / "c.json"), tiny_data, run_dir)
    out = run_module("lade_torch.train", "--config", config, "--device", "cpu")
    assert out.returncode == 0, out.stderr
    messages = parse_lines(out.stdout)
    run = check_run_folder(run_dir, tiny_data)
    progress = [m["progress"] for m in messages if m["type"] == "progress"]
    assert all(set(p) == PROGRESS_FIELDS and set(p["loss"]) == {"total"} for p in progress)
    assert [p["phase"] for p in progress][0] == "scan" and {"decode", "train", "evaluate"} <= {p["phase"] for p in progress}
    train = [p for p in progress if p["phase"] == "train"]
    assert train[-1]["step"] == train[-1]["steps"] == 4  # floor(35 training images / batch 8)
    assert "PyTorch" in train[0]["backendReason"]
    epochs = [m["record"] for m in messages if m["type"] == "epoch"]
    assert len(epochs) == 1 and set(epochs[0]) == EPOCH_FIELDS and epochs[0]["valAccuracy"] is not None
    assert messages[-1] == {"type": "result", "record": run}
    assert run["history"] == epochs


def train_in_process(capsys, *args: str):
    """The entry point in this process (no interpreter start): exit status and the protocol lines."""
    capsys.readouterr()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the subprocesses (OMP_NUM_THREADS=1), so results compare bit for bit
    try:
        code = train.main(["--device", "cpu", *args], claim_stdout=False)
    finally:
        torch.set_num_threads(threads)
    return code, parse_lines(capsys.readouterr().out)


ORT = os.path.join(REPO, "node_modules", "onnxruntime-node")
ORT_SCRIPT = """
const ort = require(process.argv[2]);
const fs = require('fs');
(async () => {
  const [input, output, n, c, s] = process.argv.slice(3);
  const b = fs.readFileSync(input);
  const x = Float32Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4));
  const session = await ort.InferenceSession.create(process.argv[8]);
  const out = await session.run({ image: new ort.Tensor('float32', x, [+n, +c, +s, +s]) });
  fs.writeFileSync(output, Buffer.from(out.logits.data.buffer));
})();
"""


@pytest.mark.skipif(not (os.path.isdir(ORT) and shutil.which("node")), reason="needs onnxruntime-node from the repository's node_modules")
def test_model_onnx_gives_the_run_logits_in_onnxruntime(tiny_data, tmp_path, capsys):
    run_dir = str(tmp_path / "run")
    code, _ = train_in_process(capsys, "--config", write_config(str(tmp_path / "c.json"), tiny_data, run_dir, model="resnet20", width=4))
    assert code == 0
    with open(os.path.join(run_dir, "files-val.txt")) as f:
        files = f.read().splitlines()
    x = torch.stack([normalise(torch.from_numpy(decode(os.path.join(tiny_data, p), 12, 1))) for p in files]).numpy()
    x.astype("<f4").tofile(tmp_path / "x.bin")
    (tmp_path / "ort.js").write_text(ORT_SCRIPT)
    out = subprocess.run(["node", str(tmp_path / "ort.js"), ORT, str(tmp_path / "x.bin"), str(tmp_path / "y.bin"), str(len(files)), "1", "12",
                          os.path.join(run_dir, "model.onnx")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    ours = np.fromfile(os.path.join(run_dir, "logits-val.bin"), dtype="<f4")
    theirs = np.fromfile(tmp_path / "y.bin", dtype="<f4")
    assert ours.shape == theirs.shape == (len(files) * 3,)  # the batch axis is dynamic
    assert np.abs(ours - theirs).max() < 1e-4


def test_user_errors_are_one_line_and_exit_2(tiny_data, tmp_path, capsys):
    config = write_config(str(tmp_path / "c.json"), tiny_data, str(tmp_path / "run"), epochs=0)
    code, (message,) = train_in_process(capsys, "--config", config)
    assert code == 2
    assert message["type"] == "error" and "epochs = 0" in message["message"] and "\n" not in message["message"]
    assert not os.path.exists(tmp_path / "run")


def start_train(config: str, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "lade_torch.train", "--config", config, "--device", "cpu", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())


def test_sigterm_cancels_with_a_checkpoint_and_resume_finishes_the_same_run(tiny_data, tmp_path, capsys):
    settings = dict(epochs=4, batchSize=4, augment=True)
    whole = str(tmp_path / "whole")
    assert train_in_process(capsys, "--config", write_config(str(tmp_path / "w.json"), tiny_data, whole, **settings))[0] == 0

    run_dir = str(tmp_path / "run")
    config = write_config(str(tmp_path / "c.json"), tiny_data, run_dir, **settings)
    proc = start_train(config)
    for line in proc.stdout:
        if json.loads(line)["type"] == "progress" and json.loads(line)["progress"]["phase"] == "train":
            proc.send_signal(signal.SIGTERM)
            break
    rest, err = proc.communicate(timeout=60)
    assert proc.returncode == 143, err
    messages = parse_lines(rest)
    assert messages[-1]["type"] == "result" and messages[-1]["record"]["status"] == "cancelled"
    with open(os.path.join(run_dir, "run.json")) as f:
        assert json.load(f)["status"] == "cancelled"
    assert os.path.isfile(os.path.join(run_dir, "checkpoint.pt"))
    assert not os.path.exists(os.path.join(run_dir, "logits-val.bin"))

    # A config that changes the schedule is refused in one line.
    longer = write_config(str(tmp_path / "longer.json"), tiny_data, run_dir, **dict(settings, epochs=5))
    code, refused = train_in_process(capsys, "--config", longer, "--resume")
    assert code == 2
    assert "epochs is 4 in its checkpoint but 5" in refused[-1]["message"]

    code, resumed = train_in_process(capsys, "--config", config, "--resume")
    assert code == 0
    assert any(m["type"] == "log" and m["message"].startswith("resumed at epoch") for m in resumed)
    run = check_run_folder(run_dir, tiny_data)
    assert [h["epoch"] for h in run["history"]] == [1, 2, 3, 4]
    # Same shuffles, augmentations and state: the resumed run ends where the uninterrupted one did.
    a = np.fromfile(os.path.join(run_dir, "logits-val.bin"), dtype="<f4")
    b = np.fromfile(os.path.join(whole, "logits-val.bin"), dtype="<f4")
    assert np.allclose(a, b, atol=1e-5), np.abs(a - b).max()


def test_a_crash_leaves_a_failed_run_naming_the_error(tiny_data, tmp_path, capsys):
    data = tmp_path / "data"
    shutil.copytree(tiny_data, data)
    (data / "bee" / "broken.png").write_bytes(b"\x89PNG not really")
    run_dir = tmp_path / "run"
    code, messages = train_in_process(capsys, "--config", write_config(str(tmp_path / "c.json"), str(data), str(run_dir), channels=1))
    assert code == 1
    assert messages[-1]["type"] == "error" and "broken.png" in messages[-1]["message"]
    run = json.loads((run_dir / "run.json").read_text())
    assert run["status"] == "failed" and "broken.png" in run["error"]


def test_an_existing_run_is_not_overwritten(tiny_data, tmp_path, capsys):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    (run_dir / "run.json").write_text("{}")
    code, messages = train_in_process(capsys, "--config", write_config(str(tmp_path / "c.json"), tiny_data, str(run_dir)))
    assert code == 2 and "already holds a run" in messages[-1]["message"]
    assert (run_dir / "run.json").read_text() == "{}"
