"""The LADER regularizer, over all C classes (absent ones too):

    A_c = sum_i 1[y_i = c] z_ic / (n_c + 1e-8)                                  (0 when c is absent)
    B_c = logsumexp_i( z_ic - log(p_s(c) + 1e-9) + log(1/C + 1e-9) ) - log N
    REG = - sum_c p_s(c) * ( A_c - B_c - lambda * B_c^2 )

The importance weight p_u(c)/p_s(c) belongs to logit column c, as in the official code. Nothing is
detached: gradients flow through A, B and B^2."""
import math
from typing import Dict, Sequence

import torch
from torch import nn

from .common import COUNT_EPS, check_inputs, log_prior_with_eps, log_uniform, source_prior


class LadeRegularizer(nn.Module):
    def __init__(self, prior: Sequence[float], lam: float):
        super().__init__()
        if not math.isfinite(lam):
            raise ValueError(f"LADE regularizer: lambda must be a finite number, got {lam}.")
        ps = source_prior(prior)
        self.lam = float(lam)
        self.register_buffer("class_weight", ps.float())
        # log(1/C + 1e-9) - log(p_s(c) + 1e-9): the per-column importance weight, in log space.
        self.register_buffer("importance_shift", (log_uniform(ps.numel()) - log_prior_with_eps(ps)).float())

    def terms(self, logits: torch.Tensor, labels: torch.Tensor) -> Dict[str, torch.Tensor]:
        check_inputs(logits, labels, self.class_weight.numel(), "LADE regularizer")
        batch, num_classes = logits.shape
        y = torch.nn.functional.one_hot(labels.long(), num_classes).to(logits.dtype)
        num_samples = y.sum(0)
        first_term = (y * logits).sum(0) / (num_samples + COUNT_EPS)
        second_term = torch.logsumexp(logits + self.importance_shift, dim=0) - math.log(batch)
        estimate = first_term - second_term - self.lam * second_term**2
        return {
            "num_samples": num_samples,
            "first_term": first_term,
            "second_term": second_term,
            "estim": estimate,
            "cls_weight": self.class_weight,
        }

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return -(self.class_weight * self.terms(logits, labels)["estim"]).sum()
