"""The LADE total:  L = CE + alpha * REG  (the target prior is never used in training)."""
import math
from typing import Sequence, Tuple

import torch
from torch import nn

from .lade_ce import LadeCrossEntropy
from .lader import LadeRegularizer

# The authors' CIFAR-100-LT values.
DEFAULT_ALPHA = 0.1
DEFAULT_LAMBDA = 0.01


class LadeLoss(nn.Module):
    def __init__(self, prior: Sequence[float], alpha: float = DEFAULT_ALPHA, lam: float = DEFAULT_LAMBDA):
        super().__init__()
        if not math.isfinite(alpha):
            raise ValueError(f"LADE loss: alpha must be a finite number, got {alpha}.")
        self.alpha = float(alpha)
        self.ce = LadeCrossEntropy(prior)
        self.reg = LadeRegularizer(prior, lam)

    def parts(self, logits: torch.Tensor, labels: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(total, ce, reg) with reg unweighted."""
        ce = self.ce(logits, labels)
        reg = self.reg(logits, labels)
        return ce + self.alpha * reg, ce, reg

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return self.parts(logits, labels)[0]
