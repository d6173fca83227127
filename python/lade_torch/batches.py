"""Turns cached uint8 pixels into normalised float batches on the training device, with the TypeScript
engine's augmentation (src/core/train/batches.ts): a random shift of up to 4 pixels with zero fill and a
horizontal flip with p = 1/2, drawn from a generator seeded per step so a resumed run repeats them."""
from typing import Optional

import numpy as np
import torch

# Inputs are (pixel / 255 - mean) / std for every channel; recorded in run.json for inference.
MEAN = 0.5
STD = 0.25
CROP_PADDING = 4


def gather(cache: np.ndarray, indices: np.ndarray) -> torch.Tensor:
    """The uint8 images at `indices` (sorted reads from the memory map, returned in the given order)."""
    order = np.argsort(indices, kind="stable")
    rows = np.empty((len(indices),) + cache.shape[1:], dtype=np.uint8)
    rows[order] = cache[indices[order]]
    return torch.from_numpy(rows)


def normalise(pixels: torch.Tensor) -> torch.Tensor:
    return (pixels.float() / 255.0 - MEAN) / STD


def augment(pixels: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """pixels: B x C x S x S uint8 (any device); shifts and flips drawn on the CPU from `generator`."""
    b, _, s, _ = pixels.shape
    dy = torch.randint(-CROP_PADDING, CROP_PADDING + 1, (b,), generator=generator)
    dx = torch.randint(-CROP_PADDING, CROP_PADDING + 1, (b,), generator=generator)
    flip = torch.rand(b, generator=generator) < 0.5
    ar = torch.arange(s)
    rows = ar.unsqueeze(0) + dy.unsqueeze(1) + CROP_PADDING  # B x S, in padded coordinates
    cols = torch.where(flip.unsqueeze(1), s - 1 - ar, ar) + dx.unsqueeze(1) + CROP_PADDING
    padded = torch.nn.functional.pad(pixels, (CROP_PADDING,) * 4)  # zero fill
    dev = pixels.device
    bi = torch.arange(b, device=dev)[:, None, None]
    out = padded[bi, :, rows.to(dev)[:, :, None], cols.to(dev)[:, None, :]]  # B x S x S x C
    return out.permute(0, 3, 1, 2).contiguous()


def step_generator(seed: int, epoch: int, step: int, rank: int) -> torch.Generator:
    """A generator for one step's augmentation, independent of how the run got there (resume, ranks)."""
    return torch.Generator().manual_seed((seed * 1_000_003 + epoch * 100_003 + step * 131 + rank) % (2**63))


def prepare(pixels: torch.Tensor, device: torch.device, generator: Optional[torch.Generator]) -> torch.Tensor:
    pixels = pixels.to(device, non_blocking=True)
    if generator is not None:
        pixels = augment(pixels, generator)
    return normalise(pixels)
