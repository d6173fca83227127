"""The training losses as torch modules; each reads like its formula. Priors live in buffers, so a loss
moves with `.to(device)` like any module."""
from typing import Sequence

from torch import nn

from .common import COUNT_EPS, PRIOR_EPS
from .lade import DEFAULT_ALPHA, DEFAULT_LAMBDA, LadeLoss
from .lade_ce import LadeCrossEntropy
from .lader import LadeRegularizer
from .logit_adjusted import LogitAdjustedCrossEntropy
from .softmax_ce import SoftmaxCrossEntropy, softmax_cross_entropy

LOSS_KINDS = ("lade", "ce", "bs", "la")


def loss_for(kind: str, prior: Sequence[float], alpha: float = DEFAULT_ALPHA, lam: float = DEFAULT_LAMBDA, tau: float = 1.0) -> nn.Module:
    """The training loss of a run: LADE, plain CE, Balanced Softmax (= LADE-CE) or logit-adjusted CE."""
    if kind == "lade":
        return LadeLoss(prior, alpha, lam)
    if kind == "bs":
        return LadeCrossEntropy(prior)
    if kind == "la":
        return LogitAdjustedCrossEntropy(prior, tau)
    if kind == "ce":
        return SoftmaxCrossEntropy()
    raise ValueError(f"unknown loss '{kind}' (use one of {', '.join(LOSS_KINDS)})")


__all__ = [
    "COUNT_EPS", "PRIOR_EPS", "DEFAULT_ALPHA", "DEFAULT_LAMBDA", "LOSS_KINDS", "LadeLoss", "LadeCrossEntropy",
    "LadeRegularizer", "LogitAdjustedCrossEntropy", "SoftmaxCrossEntropy", "softmax_cross_entropy", "loss_for",
]
