"""The learning-rate schedule of src/core/train/optimizer.ts: linear warm-up to the peak, then cosine decay to
0, or steps of x0.1 at 50% and 75% of training; stepped once per batch."""
import math


def learning_rate(step: int, kind: str, peak: float, warmup_steps: int, total_steps: int) -> float:
    if step < warmup_steps:
        return peak * (step + 1) / warmup_steps
    span = max(1, total_steps - warmup_steps)
    progress = min(1.0, (step - warmup_steps) / span)
    if kind == "cosine":
        return 0.5 * peak * (1 + math.cos(math.pi * progress))
    return peak * (0.01 if progress >= 0.75 else 0.1 if progress >= 0.5 else 1.0)


def round_half_up(x: float) -> int:
    """JavaScript's Math.round (Python's round() goes to even)."""
    return math.floor(x + 0.5)
