#!/usr/bin/python3
"""ONNX fixtures from real PyTorch output (torch 1.13+, no `onnx` package needed).

    /usr/bin/python3 scripts/make-onnx-fixtures.py test/fixtures/onnx
        tiny.onnx       a tiny deterministic CNN, NCHW 3x16x16 -> 3 classes, with metadata_props
                        mean/std (comma-separated, per channel)
        tiny-nhwc.onnx  the same kind of network taking NHWC 16x16x1, no metadata_props
        data/           a dataset: train/, val/, test/ with one folder per class of 16x16 PNGs
        torch-logits.json  torch's logits for every val/test image of both models (files in the
                        order the ImageFolder convention gives: classes by code point, then files)

    /usr/bin/python3 scripts/make-onnx-fixtures.py --resnet20 DIR
        DIR/resnet20.onnx (python/lade_torch's ResNet-20, seeded), DIR/resnet20.pt (its state dict),
        DIR/resnet20-weights.json + .bin (the same weights as little-endian float32, for porting into
        TF.js) and DIR/resnet20-logits.json (torch's logits on a fixed input) for bench:onnx.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

CLASSES = ["cat", "Dog", "bird"]  # code-point order: Dog, bird, cat (upper case sorts first)
SIZE = 16
TINY_MEAN = [0.5, 0.4, 0.3]
TINY_STD = [0.25, 0.2, 0.3]


class TinyCnn(nn.Module):
    def __init__(self, channels, classes, nhwc=False):
        super().__init__()
        self.nhwc = nhwc
        self.conv = nn.Conv2d(channels, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 4 * 4, classes)

    def forward(self, x):
        if self.nhwc:
            x = x.permute(0, 3, 1, 2)
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 4)
        return self.fc(torch.flatten(x, 1))


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def add_metadata(path, props):
    """Appends ModelProto.metadata_props (field 14, StringStringEntryProto {key=1, value=2}) entries: a
    protobuf message may be extended by appending fields, so no `onnx` package is needed."""
    extra = b"".join(field(14, field(1, k.encode()) + field(2, v.encode())) for k, v in props.items())
    with open(path, "ab") as f:
        f.write(extra)


def export(model, example, path):
    model.eval()
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})


def randomise_bn(model, gen):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=gen) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=gen) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=gen) * 0.1)


def tiny_fixtures(out):
    gen = torch.Generator().manual_seed(0)
    rng = np.random.default_rng(0)
    data = os.path.join(out, "data")
    counts = {"train": [5, 3, 2], "val": [2, 2, 1], "test": [2, 1, 2]}
    for split, per_class in counts.items():
        for c, n in zip(CLASSES, per_class):
            d = os.path.join(data, split, c)
            os.makedirs(d, exist_ok=True)
            for i in range(n):
                # Images already at the model's size, so resizing is the identity and logits compare exactly.
                px = rng.integers(0, 256, size=(SIZE, SIZE, 3), dtype=np.uint8)
                Image.fromarray(px, "RGB").save(os.path.join(d, f"{i}.png"), optimize=True)

    torch.manual_seed(0)
    rgb = TinyCnn(3, 3)
    randomise_bn(rgb, gen)
    gray = TinyCnn(1, 3, nhwc=True)
    randomise_bn(gray, gen)
    export(rgb, torch.zeros(1, 3, SIZE, SIZE), os.path.join(out, "tiny.onnx"))
    add_metadata(os.path.join(out, "tiny.onnx"), {"mean": ",".join(map(str, TINY_MEAN)), "std": ",".join(map(str, TINY_STD))})
    export(gray, torch.zeros(1, SIZE, SIZE, 1), os.path.join(out, "tiny-nhwc.onnx"))

    ordered = sorted(CLASSES)
    logits = {"classes": ordered, "tiny": {}, "tiny-nhwc": {}}
    mean = torch.tensor(TINY_MEAN).view(3, 1, 1)
    std = torch.tensor(TINY_STD).view(3, 1, 1)
    with torch.no_grad():
        for split in ("val", "test"):
            files, rows_rgb, rows_gray = [], [], []
            for c in ordered:
                d = os.path.join(data, split, c)
                for name in sorted(os.listdir(d)):
                    files.append(f"{split}/{c}/{name}")
                    px = np.asarray(Image.open(os.path.join(d, name)).convert("RGB"), dtype=np.float32)
                    x = torch.from_numpy(px).permute(2, 0, 1) / 255
                    rows_rgb.append(rgb(((x - mean) / std)[None])[0].tolist())
                    # ITU-R 601 luma in float64, rounded half up to a byte as the project's decoder does
                    # (JavaScript's Math.round; np.round would round halves to even); mean 0, std 1.
                    p64 = px.astype(np.float64)
                    luma = np.floor(0.299 * p64[..., 0] + 0.587 * p64[..., 1] + 0.114 * p64[..., 2] + 0.5) / 255
                    rows_gray.append(gray(torch.from_numpy(luma.astype(np.float32))[None, :, :, None])[0].tolist())
            logits["tiny"][split] = {"files": files, "logits": rows_rgb}
            logits["tiny-nhwc"][split] = {"files": files, "logits": rows_gray}
    with open(os.path.join(out, "torch-logits.json"), "w") as f:
        json.dump(logits, f)


def resnet20(out):
    os.makedirs(out, exist_ok=True)
    # The PyTorch engine's ResNet-20 (python/lade_torch): TF 'same' padding on stride-2 convolutions and
    # batch-norm epsilon 1e-5, so its weights port to the TF.js ResNet-20 unchanged.
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    from lade_torch.models import ResNet20, initialise

    model = ResNet20(3, 10)
    initialise(model, torch.Generator().manual_seed(0))
    randomise_bn(model, torch.Generator().manual_seed(1))
    model.eval()
    export(model, torch.zeros(1, 3, 32, 32), os.path.join(out, "resnet20.onnx"))
    torch.save(model.state_dict(), os.path.join(out, "resnet20.pt"))
    manifest, blobs, offset = [], [], 0
    for name, t in model.state_dict().items():
        if t.dtype != torch.float32:
            continue  # num_batches_tracked
        a = t.detach().numpy().astype("<f4")
        manifest.append({"name": name, "shape": list(a.shape), "offset": offset})
        blobs.append(a.tobytes())
        offset += a.nbytes
    with open(os.path.join(out, "resnet20-weights.bin"), "wb") as f:
        f.write(b"".join(blobs))
    with open(os.path.join(out, "resnet20-weights.json"), "w") as f:
        json.dump(manifest, f)
    x = torch.from_numpy(np.random.default_rng(0).random((4, 3, 32, 32), dtype=np.float32))
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(out, "resnet20-logits.json"), "w") as f:
        json.dump({"seed": 0, "input": x.numpy().ravel().tolist(), "logits": y.numpy().tolist()}, f)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--resnet20":
        resnet20(sys.argv[2])
    elif len(sys.argv) == 2:
        tiny_fixtures(sys.argv[1])
    else:
        sys.exit(__doc__)
