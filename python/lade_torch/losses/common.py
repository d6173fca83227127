"""Shared pieces of the loss modules: the epsilons of the official code and the validated source prior."""
import math
from typing import Sequence

import torch

# log(p_s + 1e-9): the official guard, so a class with no training images gets log(1e-9).
PRIOR_EPS = 1e-9
# A_c divides by n_c + 1e-8, which makes A_c = 0 for classes absent from the batch.
COUNT_EPS = 1e-8


def source_prior(prior: Sequence[float]) -> torch.Tensor:
    """Counts or probabilities -> a float64 probability vector; rejects negative, non-finite or all-zero input."""
    p = torch.as_tensor(prior, dtype=torch.float64).flatten()
    if p.numel() < 1:
        raise ValueError("source prior: needs at least one class.")
    if not torch.isfinite(p).all() or (p < 0).any():
        raise ValueError("source prior: every entry must be a finite number >= 0.")
    total = float(p.sum())
    if total <= 0:
        raise ValueError("source prior: the entries sum to 0.")
    return p / total


def log_prior_with_eps(prior: torch.Tensor) -> torch.Tensor:
    """log(p + 1e-9), in float64 (the buffers are cast to float32 afterwards)."""
    return torch.log(prior + PRIOR_EPS)


def check_inputs(logits: torch.Tensor, labels: torch.Tensor, num_classes: int, loss: str) -> None:
    if logits.dim() != 2:
        raise ValueError(f"{loss}: logits must be 2-D [batch, classes], got shape {list(logits.shape)}.")
    if labels.dim() != 1 or labels.shape[0] != logits.shape[0]:
        raise ValueError(f"{loss}: {logits.shape[0]} rows of logits but labels of shape {list(labels.shape)}.")
    if logits.shape[1] != num_classes:
        raise ValueError(f"{loss}: logits have {logits.shape[1]} classes, the prior {num_classes}.")


def log_uniform(num_classes: int) -> float:
    return math.log(1.0 / num_classes + PRIOR_EPS)
