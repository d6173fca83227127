"""Decodes images into size x size uint8 pixels (C x H x W) exactly as the TypeScript side does
(src/core/train/images.ts): bilinear resize with pixel centres aligned and no antialiasing, ITU-R 601 luma
for one channel, rounded half up. Decoded splits live in a pixel cache file in the run folder (like the
TypeScript engine's), read back as a memory map, so large datasets do not have to fit in memory."""
import os
import signal
from typing import Callable, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from .dataset import DatasetError, Sample

LUMA = (0.299, 0.587, 0.114)


def read_rgb(path: str) -> np.ndarray:
    try:
        with Image.open(path) as img:
            return np.asarray(img.convert("RGB"))
    except (OSError, ValueError) as e:
        raise DatasetError(f"Cannot decode image '{path}': {e}") from None


def is_gray(path: str) -> bool:
    rgb = read_rgb(path)
    return bool((rgb[..., 0] == rgb[..., 1]).all() and (rgb[..., 0] == rgb[..., 2]).all())


def detect_channels(samples: Sequence[Sample]) -> int:
    """1 when every probed image (up to 16, spread over the list) is grey, else 3."""
    step = max(1, len(samples) // 16)
    probe = [s for i, s in enumerate(samples) if i % step == 0][:16]
    return 1 if all(is_gray(s.path) for s in probe) else 3


def decode(path: str, size: int, channels: int) -> np.ndarray:
    rgb = torch.from_numpy(read_rgb(path).astype(np.float32)).permute(2, 0, 1)
    if channels == 1:
        rgb = (rgb[0] * LUMA[0] + rgb[1] * LUMA[1] + rgb[2] * LUMA[2]).unsqueeze(0)
    if rgb.shape[1:] != (size, size):
        rgb = F.interpolate(rgb.unsqueeze(0), size=(size, size), mode="bilinear", align_corners=False).squeeze(0)
    return torch.floor(rgb + 0.5).clamp_(0, 255).to(torch.uint8).numpy()


class _Decode(torch.utils.data.Dataset):
    def __init__(self, samples: Sequence[Sample], size: int, channels: int):
        self.samples, self.size, self.channels = samples, size, channels

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, i: int) -> np.ndarray:
        return decode(self.samples[i].path, self.size, self.channels)


def _ignore_interrupts(_worker: int) -> None:
    """Ctrl-C reaches the decode workers too; only the trainer decides how to stop (cancel, not crash)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def build_cache(samples: Sequence[Sample], size: int, channels: int, file: str,
                on_progress: Optional[Callable[[int], None]] = None, should_stop: Callable[[], bool] = lambda: False) -> bool:
    """Decodes every sample into `file` (N x C x size x size uint8), written under a temporary name and renamed
    when complete. Returns False when stopped early (nothing is left behind)."""
    workers = 0 if len(samples) < 512 else min(8, os.cpu_count() or 1)
    loader = torch.utils.data.DataLoader(_Decode(samples, size, channels), batch_size=64, num_workers=workers,
                                         collate_fn=np.stack, worker_init_fn=_ignore_interrupts)
    tmp = f"{file}.tmp-{os.getpid()}"
    out = np.lib.format.open_memmap(tmp, mode="w+", dtype=np.uint8, shape=(len(samples), channels, size, size))
    done = 0
    for chunk in loader:
        out[done:done + len(chunk)] = chunk
        done += len(chunk)
        if on_progress:
            on_progress(done)
        if should_stop():
            del out
            os.remove(tmp)
            return False
    out.flush()
    del out
    os.replace(tmp, file)
    return True


def open_cache(file: str) -> np.ndarray:
    return np.load(file, mmap_mode="r")
