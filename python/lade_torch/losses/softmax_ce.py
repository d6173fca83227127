"""Plain softmax cross-entropy:  CE = mean_i -log softmax(z_i)[y_i]"""
import torch
from torch import nn


def softmax_cross_entropy(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    log_prob_of_label = torch.log_softmax(logits, dim=1).gather(1, labels.long().unsqueeze(1)).squeeze(1)
    return -log_prob_of_label.mean()


class SoftmaxCrossEntropy(nn.Module):
    def forward(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        return softmax_cross_entropy(logits, labels)
