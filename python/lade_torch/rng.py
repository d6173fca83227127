"""The TypeScript side's seeded generator (mulberry32, src/core/rng.ts), bit for bit, so that the validation
hold-out drawn from a seed is the same set of images in both engines."""
from typing import List

MASK = 0xFFFFFFFF


def _imul(a: int, b: int) -> int:
    return (a * b) & MASK


class Rng:
    def __init__(self, seed: int):
        self.state = seed & MASK

    def next(self) -> float:
        """Uniform in [0, 1)."""
        self.state = (self.state + 0x6D2B79F5) & MASK
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & MASK
        return ((t ^ (t >> 14)) & MASK) / 4294967296

    def int(self, n: int) -> int:
        return int(self.next() * n)

    def permutation(self, n: int) -> List[int]:
        """Fisher-Yates, drawing exactly as Rng.permutation does."""
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.int(i + 1)
            p[i], p[j] = p[j], p[i]
        return p
