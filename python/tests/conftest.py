"""Tiny synthetic PNG datasets and a helper that runs the package's entry points as the host would."""
import json
import os
import subprocess
import sys
from typing import Dict, List

import numpy as np
import pytest
from PIL import Image

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(PYTHON_DIR)
GOLDEN = os.path.join(REPO, "test", "fixtures", "lade-golden-public.json")


def make_dataset(root: str, counts: Dict[str, int], size: int = 12, gray: bool = True, splits=None, seed: int = 0) -> str:
    """Class c's images are bright in a class-specific quadrant, so a model can learn them in one epoch."""
    rng = np.random.default_rng(seed)
    for split in splits or [None]:
        for c, (name, n) in enumerate(counts.items()):
            d = os.path.join(root, split, name) if split else os.path.join(root, name)
            os.makedirs(d, exist_ok=True)
            for i in range(n if split in (None, "train") else max(1, n // 2)):
                img = rng.integers(0, 60, size=(size, size, 1 if gray else 3)).astype(np.uint8)
                q = c % 4
                img[(q // 2) * size // 2:(q // 2 + 1) * size // 2, (q % 2) * size // 2:(q % 2 + 1) * size // 2] += 180
                Image.fromarray(img[..., 0] if gray else img).save(os.path.join(d, f"{i}.png"))
    return root


def write_config(path: str, data_dir: str, out_dir: str, **overrides) -> str:
    config = {"dataDir": data_dir, "outDir": out_dir, "loss": "lade", "model": "cnn", "epochs": 1, "batchSize": 8, "lr": 0.05,
              "size": 12, "warmupEpochs": 0, "seed": 1, "valFraction": 0.2}
    config.update(overrides)
    with open(path, "w") as f:
        json.dump(config, f)
    return path


def env() -> Dict[str, str]:
    e = dict(os.environ)
    e["PYTHONPATH"] = PYTHON_DIR + os.pathsep + e.get("PYTHONPATH", "")
    e.setdefault("OMP_NUM_THREADS", "1")
    return e


def run_module(module: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", module, *args], capture_output=True, text=True, env=env(), timeout=timeout)


def parse_lines(stdout: str) -> List[dict]:
    """Every stdout line must be one protocol message."""
    messages = [json.loads(line) for line in stdout.splitlines()]
    for m in messages:
        assert m["type"] in ("progress", "log", "epoch", "result", "error"), m
    return messages


@pytest.fixture(scope="session")
def tiny_data(tmp_path_factory) -> str:
    return make_dataset(str(tmp_path_factory.mktemp("data")), {"ant": 24, "bee": 12, "cat": 6})
