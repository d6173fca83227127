"""Data-parallel training when launched by torchrun or lade_torch.launch (env RANK, WORLD_SIZE, LOCAL_RANK):
gloo on the CPU, nccl on CUDA. Rank 0 alone writes files and talks to the host."""
import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass
class Context:
    rank: int = 0
    world: int = 1
    local_rank: int = 0
    local_world: int = 1

    @property
    def main(self) -> bool:
        return self.rank == 0

    @property
    def node_leader(self) -> bool:
        """Local rank 0 prepares what every process on its node reads (the pixel cache)."""
        return self.local_rank == 0

    @property
    def node(self) -> int:
        return int(os.environ.get("GROUP_RANK", self.rank // max(1, self.local_world)))

    def barrier(self) -> None:
        if self.world > 1:
            dist.barrier()

    def any(self, flag: bool, device: torch.device) -> bool:
        """True on every rank when any rank says so (a cancel signal reaching one process stops all at the same step)."""
        if self.world == 1:
            return flag
        t = torch.tensor([1.0 if flag else 0.0], device=device)
        dist.all_reduce(t, op=dist.ReduceOp.MAX)
        return bool(t.item() > 0)

    def close(self) -> None:
        if self.world > 1 and dist.is_initialized():
            dist.destroy_process_group()


def from_environment() -> Context:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Context()
    rank = int(os.environ["RANK"])
    local_rank = int(os.environ.get("LOCAL_RANK", rank))
    return Context(rank, world, local_rank, int(os.environ.get("LOCAL_WORLD_SIZE", world)))


def pick_device(requested: str, ctx: Context) -> torch.device:
    if requested == "auto":
        requested = "cuda" if torch.cuda.is_available() else "mps" if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available() else "cpu"
    if requested == "cuda":
        if not torch.cuda.is_available():
            raise ValueError("--device cuda: this torch build sees no CUDA device")
        return torch.device("cuda", ctx.local_rank % torch.cuda.device_count())
    if requested == "mps":
        if ctx.world > 1:
            raise ValueError("--device mps: data-parallel training needs cpu (gloo) or cuda (nccl)")
        return torch.device("mps")
    return torch.device("cpu")


def init(ctx: Context, device: torch.device) -> None:
    if ctx.world > 1 and not dist.is_initialized():
        if device.type == "cuda":
            torch.cuda.set_device(device)
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo", rank=ctx.rank, world_size=ctx.world)
