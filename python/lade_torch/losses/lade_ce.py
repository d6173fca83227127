"""LADE-CE, identical to Balanced Softmax:  CE = mean_i -log softmax(z_i + log(p_s + 1e-9))[y_i]"""
from typing import Sequence

import torch
from torch import nn

from .common import check_inputs, log_prior_with_eps, source_prior
from .softmax_ce import softmax_cross_entropy


class LadeCrossEntropy(nn.Module):
    def __init__(self, prior: Sequence[float]):
        super().__init__()
        self.register_buffer("log_prior", log_prior_with_eps(source_prior(prior)).float())

    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        check_inputs(logits, labels, self.log_prior.numel(), "LADE cross-entropy")
        return softmax_cross_entropy(logits + self.log_prior, labels)
