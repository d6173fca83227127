"""Logit-adjusted cross-entropy (Menon et al.):  CE = mean_i -log softmax(z_i + tau log(p_s + 1e-9))[y_i]

The epsilon is LADE's, so tau = 1 is exactly LADE-CE / Balanced Softmax."""
import math
from typing import Sequence

import torch
from torch import nn

from .common import check_inputs, log_prior_with_eps, source_prior
from .softmax_ce import softmax_cross_entropy


class LogitAdjustedCrossEntropy(nn.Module):
    def __init__(self, prior: Sequence[float], tau: float = 1.0):
        super().__init__()
        if not math.isfinite(tau):
            raise ValueError(f"logit-adjusted cross-entropy: tau must be a finite number, got {tau}.")
        self.register_buffer("adjustment", (tau * log_prior_with_eps(source_prior(prior))).float())

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        check_inputs(logits, labels, self.adjustment.numel(), "logit-adjusted cross-entropy")
        return softmax_cross_entropy(logits + self.adjustment, labels)
