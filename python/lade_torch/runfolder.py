"""Writes the run folder of docs/run-format.md: run.json (version 2), logits-/labels-/files-<split>, the
resumable checkpoint.pt and model.onnx, each atomically (temporary file in the same folder, then rename)."""
import inspect
import json
import os
import warnings
from typing import Any, Dict, List, Sequence

import numpy as np
import torch

from .protocol import finite_json

RUN_VERSION = 2


def write_atomic(path: str, data) -> None:
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_run_json(run_dir: str, record: Dict[str, Any]) -> None:
    write_atomic(os.path.join(run_dir, "run.json"), json.dumps(finite_json(record), indent=2, allow_nan=False))


def write_eval(run_dir: str, split: str, logits: np.ndarray, labels: np.ndarray, files: Sequence[str]) -> None:
    """logits-<split>.bin float32 LE N x C row-major, labels-<split>.bin int32 LE, files-<split>.txt."""
    write_atomic(os.path.join(run_dir, f"logits-{split}.bin"), np.ascontiguousarray(logits, dtype="<f4").tobytes())
    write_atomic(os.path.join(run_dir, f"labels-{split}.bin"), np.ascontiguousarray(labels, dtype="<i4").tobytes())
    write_atomic(os.path.join(run_dir, f"files-{split}.txt"), "".join(f"{f}\n" for f in files))


CHECKPOINT = "checkpoint.pt"


def save_checkpoint(run_dir: str, state: Dict[str, Any]) -> None:
    path = os.path.join(run_dir, CHECKPOINT)
    tmp = f"{path}.tmp-{os.getpid()}"
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint(run_dir: str) -> Dict[str, Any]:
    """The checkpoint's JSON metadata merged with its tensors ('model', 'optimizerState')."""
    path = os.path.join(run_dir, CHECKPOINT)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"cannot resume: no {CHECKPOINT} in '{run_dir}'")
    state = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(state, dict) or state.get("format") != "lade-torch-checkpoint":
        raise ValueError(f"'{path}' is not a lade_torch checkpoint")
    return {**json.loads(state["meta"]), "model": state["model"], "optimizerState": state["optimizerState"]}


def export_onnx(model: torch.nn.Module, path: str, channels: int, size: int) -> None:
    """opset 13, input 'image' N x C x size x size (NCHW, normalised), output 'logits' N x C, dynamic batch axis."""
    kwargs: Dict[str, Any] = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter: no onnxscript needed
    tmp = f"{path}.tmp-{os.getpid()}"
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about the input size, which is fixed per run by design
        torch.onnx.export(model, torch.zeros(1, channels, size, size), tmp, opset_version=13, input_names=["image"],
                          output_names=["logits"], dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, **kwargs)
    os.replace(tmp, path)


def relative_files(paths: List[str], root: str) -> List[str]:
    return [os.path.relpath(p, root).replace(os.sep, "/") for p in paths]
