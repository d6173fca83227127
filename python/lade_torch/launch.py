"""Starts a data-parallel training run on this machine:

    python -m lade_torch.launch --nproc N -- --config CONFIG.json [--device cpu|cuda] [--resume]

Uses `torchrun --standalone --nproc_per_node N -m lade_torch.train ...` where torchrun works. Debian's torch 1.13
on Python 3.11 ships a torchrun that dies before starting any worker (its Std.from_str returns None under
Python 3.11's enum rules); there, and with --no-torchrun, it starts the N processes itself with
MASTER_ADDR=127.0.0.1, a free MASTER_PORT and RANK / LOCAL_RANK / WORLD_SIZE. A log line on stdout says which
launch was used. Signals are passed on to the workers; the exit status is rank 0's (or the first failure's)."""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from typing import List, Optional

from . import protocol


def torchrun_works() -> bool:
    """torch < 2 on Python >= 3.11 has the broken Std.from_str; elsewhere probe it (importing torch costs seconds)."""
    try:
        from importlib.metadata import version

        if sys.version_info >= (3, 11) and int(version("torch").split(".")[0]) < 2:
            return False
    except Exception:
        pass
    try:
        from torch.distributed.elastic.multiprocessing.api import Std

        return Std.from_str("0") is not None
    except Exception:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_processes(cmds: List[List[str]], envs: List[dict]) -> int:
    """Runs the commands side by side; SIGINT/SIGTERM go to every child; a failing child stops the others."""
    procs = [subprocess.Popen(cmd, env=env) for cmd, env in zip(cmds, envs)]
    forward = lambda signum, _frame: [p.send_signal(signum) for p in procs if p.poll() is None]  # noqa: E731
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, forward)
    codes: List[Optional[int]] = [None] * len(procs)
    first_failure: Optional[int] = None
    while any(c is None for c in codes):
        for i, p in enumerate(procs):
            if codes[i] is None and p.poll() is not None:
                codes[i] = p.returncode
                if p.returncode != 0 and first_failure is None:
                    first_failure = p.returncode
                    # A cancel (128 + signal) ends every rank by itself; anything else leaves the others hanging.
                    if p.returncode < 128:
                        for q in procs:
                            if q.poll() is None:
                                q.terminate()
        time.sleep(0.05)
    return codes[0] if codes[0] not in (None, 0) or first_failure is None else first_failure


def main(argv: Optional[List[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    train_args = argv[argv.index("--") + 1:] if "--" in argv else []
    own = argv[:argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(prog="python -m lade_torch.launch", description=__doc__.splitlines()[0])
    parser.add_argument("--nproc", type=int, required=True, help="processes on this machine (one per GPU with --device cuda)")
    parser.add_argument("--no-torchrun", action="store_true", help="start the processes without torchrun")
    args = parser.parse_args(own)
    if args.nproc < 1:
        parser.error("--nproc must be at least 1")
    train = ["-m", "lade_torch.train", *train_args]
    if not args.no_torchrun and torchrun_works():
        protocol.log(f"launch: torchrun --standalone --nproc_per_node {args.nproc}")
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={args.nproc}", *train]
        return run_processes([cmd], [dict(os.environ)])
    why = "--no-torchrun" if args.no_torchrun else "torchrun does not work with this torch and Python"
    port = free_port()
    protocol.log(f"launch: {args.nproc} processes started directly ({why}), MASTER_ADDR=127.0.0.1 MASTER_PORT={port}")
    envs = []
    for rank in range(args.nproc):
        env = dict(os.environ, MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port), RANK=str(rank), LOCAL_RANK=str(rank),
                   WORLD_SIZE=str(args.nproc), LOCAL_WORLD_SIZE=str(args.nproc), GROUP_RANK="0")
        envs.append(env)
    return run_processes([[sys.executable, *train]] * args.nproc, envs)


if __name__ == "__main__":
    sys.exit(main())
