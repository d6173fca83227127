"""Fixtures for `lade import` from real PyTorch output (run with /usr/bin/python3, which has torch).

Trains a tiny linear classifier deterministically on a synthetic long-tailed 3-class set, then saves its
logits and labels the ways people save them: .npz (float32 with np.savez, float16 with
np.savez_compressed), .safetensors (written by hand: 8-byte little-endian header length, JSON header,
raw little-endian tensors), and CSV; plus unlabelled deployment logits. expected.json holds the same
values as plain JSON for the tests to compare against.

    /usr/bin/python3 scripts/make-import-fixtures.py [--out test/fixtures/import]
"""
import argparse
import json
import os
import struct

import numpy as np
import torch

CLASSES = ["cat", "dog", "bird"]
TRAIN_COUNTS = [60, 20, 6]
MEANS = np.array([[2.0, 0.0, 0.0, 0.5], [0.0, 2.0, 0.0, -0.5], [0.0, 0.0, 2.0, 0.0]], dtype=np.float32)


def sample(rng, counts):
    x = np.concatenate([MEANS[c] + rng.normal(0.0, 1.0, (n, 4)).astype(np.float32) for c, n in enumerate(counts)])
    y = np.concatenate([np.full(n, c, dtype=np.int64) for c, n in enumerate(counts)])
    return torch.from_numpy(x), torch.from_numpy(y)


def train():
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    x, y = sample(rng, TRAIN_COUNTS)
    model = torch.nn.Linear(4, len(CLASSES))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(100):
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
    val_x, val_y = sample(rng, [8, 8, 8])
    deploy_x, _ = sample(rng, [4, 8, 12])
    with torch.no_grad():
        return model(val_x).numpy(), val_y.numpy(), model(deploy_x).numpy()


def write_safetensors(path, tensors):
    """tensors: name -> (safetensors dtype, numpy array already in that dtype)."""
    header, blobs, offset = {}, [], 0
    for name, (dtype, array) in tensors.items():
        data = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def write_csv(path, logits, labels=None):
    with open(path, "w") as f:
        f.write(",".join((["label"] if labels is not None else []) + CLASSES) + "\n")
        for i, row in enumerate(logits):
            cells = [repr(float(v)) for v in row]
            f.write(",".join(([str(int(labels[i]))] if labels is not None else []) + cells) + "\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "import"))
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    val, labels, deploy = train()
    val16 = val.astype(np.float16)

    np.savez(os.path.join(out, "val.npz"), logits=val, labels=labels)
    np.savez_compressed(os.path.join(out, "val-f16.npz"), logits=val16, labels=labels)
    write_safetensors(os.path.join(out, "val.safetensors"), {"logits": ("F32", val), "labels": ("I64", labels)})
    write_safetensors(os.path.join(out, "val-f16.safetensors"), {"logits": ("F16", val16), "labels": ("I32", labels.astype(np.int32))})
    write_csv(os.path.join(out, "val.csv"), val, labels)
    np.savez(os.path.join(out, "deploy.npz"), logits=deploy)
    write_csv(os.path.join(out, "deploy.csv"), deploy)

    with open(os.path.join(out, "classes.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    with open(os.path.join(out, "train-counts.json"), "w") as f:
        json.dump(dict(zip(CLASSES, TRAIN_COUNTS)), f)
    expected = {
        "classes": CLASSES,
        "trainCounts": TRAIN_COUNTS,
        "labels": labels.tolist(),
        "logits": val.tolist(),
        "logitsFloat16": val16.astype(np.float32).tolist(),
        "accuracy": float((val.argmax(1) == labels).mean() * 100),
        "deployLogits": deploy.tolist(),
        "torch": torch.__version__,
    }
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
