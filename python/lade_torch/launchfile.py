"""Prints what starts a multi-node training run on a cluster:

    python -m lade_torch.launchfile --kind torchrun|slurm|skypilot --nodes N --gpus-per-node G --config CONFIG.json

torchrun: the command to run on every node (c10d rendezvous at the first node); slurm: an sbatch script that
runs one torchrun per node through srun, with the rendezvous on the job's first node; skypilot: a task YAML
(num_nodes, run: torchrun from SKYPILOT_* variables). Rank 0 writes the run folder (the config's outDir) on
its node; the dataset (dataDir) must be readable at the same path on every node."""
import argparse
import json
import shlex
import sys
from typing import List, Optional

RDZV_PORT = 29500


def train_args(config: str) -> str:
    return f"-m lade_torch.train --config {shlex.quote(config)} --device cuda"


def torchrun_command(nodes: int, gpus: int, config: str, endpoint: str = "$HEAD_NODE") -> str:
    return (f"torchrun --nnodes {nodes} --nproc_per_node {gpus} --rdzv_id lade --rdzv_backend c10d "
            f"--rdzv_endpoint {endpoint}:{RDZV_PORT} {train_args(config)}")


def torchrun_text(nodes: int, gpus: int, config: str) -> str:
    return "\n".join([
        f"# Run on each of the {nodes} nodes, with HEAD_NODE set to the first node's address:",
        torchrun_command(nodes, gpus, config),
        "",
    ])


def slurm_text(nodes: int, gpus: int, config: str, job: str) -> str:
    return "\n".join([
        "#!/bin/bash",
        f"#SBATCH --job-name={job}",
        f"#SBATCH --nodes={nodes}",
        "#SBATCH --ntasks-per-node=1",
        f"#SBATCH --gpus-per-node={gpus}",
        f"#SBATCH --cpus-per-task={max(4, 8 * gpus)}",
        f"#SBATCH --output={job}-%j.out",
        "set -euo pipefail",
        "# The first node of the allocation hosts the rendezvous.",
        'HEAD_NODE=$(scontrol show hostnames "$SLURM_JOB_NODELIST" | head -n 1)',
        "export HEAD_NODE",
        "srun torchrun --nnodes \"$SLURM_NNODES\" --nproc_per_node " + str(gpus)
        + f" --rdzv_id \"$SLURM_JOB_ID\" --rdzv_backend c10d --rdzv_endpoint \"$HEAD_NODE:{RDZV_PORT}\" {train_args(config)}",
        "",
    ])


def skypilot_text(nodes: int, gpus: int, config: str, accelerator: str, job: str) -> str:
    # JSON strings are valid YAML scalars, which keeps odd paths safe.
    run = "\n".join([
        'HEAD_NODE=$(echo "$SKYPILOT_NODE_IPS" | head -n 1)',
        'torchrun --nnodes "$SKYPILOT_NUM_NODES" --nproc_per_node "$SKYPILOT_NUM_GPUS_PER_NODE" \\',
        f'  --node_rank "$SKYPILOT_NODE_RANK" --master_addr "$HEAD_NODE" --master_port {RDZV_PORT} \\',
        f"  {train_args(config)}",
    ])
    return "\n".join([
        f"name: {json.dumps(job)}",
        f"num_nodes: {nodes}",
        "resources:",
        f"  accelerators: {json.dumps(f'{accelerator}:{gpus}')}",
        "workdir: .",
        "setup: |",
        "  pip install torch torchvision numpy pillow",
        "  pip install ./python",
        "run: |",
        *[f"  {line}" for line in run.splitlines()],
        "",
    ])


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lade_torch.launchfile", description=__doc__.splitlines()[0])
    parser.add_argument("--kind", required=True, choices=["torchrun", "slurm", "skypilot"])
    parser.add_argument("--nodes", type=int, required=True)
    parser.add_argument("--gpus-per-node", type=int, required=True)
    parser.add_argument("--config", required=True, help="the TrainConfig JSON, at a path every node can read")
    parser.add_argument("--accelerator", default="H100", help="SkyPilot accelerator name (default H100)")
    parser.add_argument("--job-name", default="lade-train")
    args = parser.parse_args(argv)
    if args.nodes < 1 or args.gpus_per_node < 1:
        parser.error("--nodes and --gpus-per-node must be at least 1")
    if args.kind == "torchrun":
        text = torchrun_text(args.nodes, args.gpus_per_node, args.config)
    elif args.kind == "slurm":
        text = slurm_text(args.nodes, args.gpus_per_node, args.config, args.job_name)
    else:
        text = skypilot_text(args.nodes, args.gpus_per_node, args.config, args.accelerator, args.job_name)
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
