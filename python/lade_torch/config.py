"""The training configuration: the TypeScript TrainConfig (src/protocol/training.ts) as JSON, completed with
the same defaults and checked with the same rules, naming the field. Torch-only extras: model 'tv:<name>',
loss 'la' with `tau`, manifests (`manifest`, `classNames`, `columns`) and `finetune.weights`."""
import json
import math
from typing import Any, Dict

from .losses import LOSS_KINDS

DEFAULTS: Dict[str, Any] = {
    "loss": "lade", "model": "cnn", "width": 16, "epochs": 10, "batchSize": 128, "optimizer": "sgd", "lr": 0.05,
    "momentum": 0.9, "weightDecay": 5e-4, "schedule": "cosine", "warmupEpochs": 1, "size": 32, "channels": "auto",
    "augment": True, "seed": 0, "alpha": 0.1, "lambda": 0.01, "backend": "auto", "valFraction": 0.1,
    "resume": False, "workers": 1, "tau": 1.0,
}

CHOICES = {"loss": LOSS_KINDS, "optimizer": ("sgd", "adam"), "schedule": ("cosine", "step"), "channels": ("auto", 1, 3)}

# Fields a resumed run must share with its checkpoint: everything that shapes the model, the data or the
# schedule. outDir, resume, backend and workers may differ.
FREE_ON_RESUME = ("outDir", "resume", "backend", "workers")


class ConfigError(ValueError):
    """A setting that cannot work; the message names the field."""


def _check(ok: bool, field: str, value: Any, rule: str) -> None:
    if not ok:
        raise ConfigError(f"Invalid training setting {field} = {json.dumps(value)}: {rule}.")


def resolve_config(raw: Dict[str, Any]) -> Dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError("the training config must be a JSON object")
    c = dict(DEFAULTS)
    c.update({k: v for k, v in raw.items() if v is not None})
    for field, allowed in CHOICES.items():
        _check(c[field] in allowed, field, c[field], f"use one of {', '.join(map(str, allowed))}")
    model = c["model"]
    _check(model in ("cnn", "resnet20") or (isinstance(model, str) and model.startswith("tv:") and len(model) > 3),
           "model", model, "use cnn, resnet20 or tv:<torchvision model name>")

    def integer(field: str, lo: int, hi: float = math.inf) -> None:
        v = c[field]
        _check(isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi, field, v, f"an integer from {lo} to {hi}")

    def number(field: str, lo: float, hi: float) -> None:
        v = c[field]
        _check(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and lo <= v <= hi, field, v, f"a number from {lo} to {hi}")

    integer("epochs", 1, 100_000)
    integer("batchSize", 1, 65_536)
    integer("size", 8, 1024)
    integer("width", 1, 1024)
    integer("seed", 0, 2**32 - 1)
    number("lr", 5e-324, 100)
    number("momentum", 0, 0.9999)
    number("weightDecay", 0, 1)
    number("warmupEpochs", 0, 100_000)
    number("alpha", 0, 100)
    number("lambda", 0, 100)
    number("valFraction", 0, 0.5)
    number("tau", -100, 100)
    _check(isinstance(c["augment"], bool), "augment", c["augment"], "true or false")
    _check(not c.get("retuneHead"), "retuneHead", c.get("retuneHead"), "the torch engine does not retune heads on cached features; use finetune with freezeBackbone")
    ft = c.get("finetune")
    if ft is not None:
        weights = ft.get("weights", ft.get("modelJson")) if isinstance(ft, dict) else None
        _check(isinstance(weights, str) and weights != "" and not weights.endswith(".json"), "finetune", ft,
               "give {\"weights\": \"<state dict or checkpoint.pt>\", \"freezeBackbone\": bool} (TF.js model.json files are for the tfjs engine)")
    manifest = c.get("manifest")
    _check(manifest is None or isinstance(manifest, str) or (isinstance(manifest, list) and all(isinstance(m, str) for m in manifest)),
           "manifest", manifest, "a manifest file or a list of them")
    for field in ("dataDir", "outDir"):
        _check(isinstance(c.get(field), str) and c[field] != "", field, c.get(field), "a dataset folder" if field == "dataDir" else "a run folder")
    return c


def finetune_weights(c: Dict[str, Any]):
    ft = c.get("finetune")
    return (ft.get("weights", ft.get("modelJson")), bool(ft.get("freezeBackbone", False))) if ft else (None, False)


def resume_conflict(saved: Dict[str, Any], given: Dict[str, Any]):
    """The first field (sorted) where a resumed config differs from its checkpoint's, or None."""
    for field in sorted(set(saved) | set(given)):
        if field not in FREE_ON_RESUME and saved.get(field) != given.get(field):
            return field
    return None
