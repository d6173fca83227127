"""The torch CNN and ResNet-20 are the TF.js engine's networks: given the same weights and input they give the
same logits. The reference comes from src/core/train/models.ts itself (TF.js CPU backend, via tsx)."""
import json
import os
import shutil
import subprocess

import numpy as np
import pytest
import torch

from conftest import REPO
from lade_torch.models import build_model

TSX = os.path.join(REPO, "node_modules", ".bin", "tsx")

# Builds the model as the TF.js trainer does, then fills every weight (batch-norm statistics included) with
# seeded random values so that padding, flatten order and the batch-norm epsilon all show in the logits.
SCRIPT = """
import * as tf from 'REPO/node_modules/@tensorflow/tfjs';
import { buildModel } from 'REPO/src/core/train/models';
import { Rng } from 'REPO/src/core/rng';
(async () => {
  await tf.setBackend('cpu');
  const [kind, size, channels, classes, width] = process.argv.slice(2);
  const rng = new Rng(11);
  const model = buildModel({ kind: kind as 'cnn' | 'resnet20', size: +size, channels: +channels, numClasses: +classes, width: +width }, rng);
  const weights: Record<string, { shape: number[]; values: number[] }> = {};
  for (const w of model.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const positive = w.originalName.endsWith('moving_variance');
    const values = Array.from({ length: n }, () => (positive ? 0.5 + rng.next() : rng.normal() * 0.3));
    w.write(tf.tensor(values, w.shape));
    weights[w.originalName] = { shape: w.shape as number[], values };
  }
  const n = 3;
  const x = Array.from({ length: n * +size * +size * +channels }, () => rng.normal());
  const y = model.predict(tf.tensor(x, [n, +size, +size, +channels])) as tf.Tensor;
  console.log(JSON.stringify({ weights, x, logits: Array.from(await y.data()) }));
})();
"""

BN = {"gamma": "weight", "beta": "bias", "moving_mean": "running_mean", "moving_variance": "running_var"}


def torch_name(tf_name: str) -> str:
    layer, var = tf_name.split("/")
    if layer == "logits":
        return f"head.{'weight' if var == 'kernel' else 'bias'}"
    if layer in ("conv1", "conv2", "features"):
        return f"{layer}.{'weight' if var == 'kernel' else 'bias'}"
    if layer.startswith("stem_"):
        return "stem.0.weight" if layer == "stem_conv" else f"stem.1.{BN[var]}"
    block, part = layer.split("_", 1)  # s2b1_conv1, s2b1_proj_bn
    index = (int(block[1]) - 1) * 3 + int(block[3]) - 1
    module = {"proj": "proj.0", "proj_bn": "proj.1"}.get(part, part)
    return f"blocks.{index}.{module}.{'weight' if var == 'kernel' else BN[var]}"


def to_torch(values, shape, kernel: bool) -> torch.Tensor:
    t = torch.tensor(values, dtype=torch.float32).reshape(shape)
    if kernel and t.dim() == 4:
        return t.permute(3, 2, 0, 1)  # HWIO -> OIHW
    if kernel and t.dim() == 2:
        return t.t()  # [in, out] -> [out, in]
    return t


@pytest.mark.skipif(not (os.path.exists(TSX) and shutil.which("node")), reason="needs the repository's node_modules (tsx, tfjs)")
@pytest.mark.parametrize("kind,size,channels,width", [("cnn", 12, 1, 16), ("resnet20", 10, 3, 4)])
def test_same_logits_as_the_tfjs_model(tmp_path, kind, size, channels, width):
    script = tmp_path / "ref.ts"
    script.write_text(SCRIPT.replace("REPO", REPO))
    out = subprocess.run([TSX, str(script), kind, str(size), str(channels), "5", str(width)], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert out.returncode == 0, out.stderr
    ref = json.loads(out.stdout)
    model = build_model(kind, size, channels, 5, width, seed=0).eval()
    state = model.state_dict()
    loaded = set()
    for name, w in ref["weights"].items():
        key = torch_name(name)
        state[key] = to_torch(w["values"], w["shape"], name.endswith("kernel"))
        loaded.add(key)
    assert loaded == {k for k in state if not k.endswith("num_batches_tracked")}
    model.load_state_dict(state)
    x = torch.tensor(ref["x"], dtype=torch.float32).reshape(3, size, size, channels).permute(0, 3, 1, 2)
    with torch.no_grad():
        ours = model(x).numpy().ravel()
    theirs = np.array(ref["logits"], dtype=np.float32)
    assert np.abs(ours - theirs).max() < 1e-4 * max(1.0, np.abs(theirs).max())
