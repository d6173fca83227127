import math

import pytest

from lade_torch.config import ConfigError, resolve_config, resume_conflict
from lade_torch.schedule import learning_rate


def test_defaults_are_the_typescript_ones_and_errors_name_the_field():
    c = resolve_config({"dataDir": "d", "outDir": "o"})
    assert (c["loss"], c["model"], c["epochs"], c["batchSize"], c["lr"], c["alpha"], c["lambda"], c["valFraction"]) == \
        ("lade", "cnn", 10, 128, 0.05, 0.1, 0.01, 0.1)
    assert resolve_config({"dataDir": "d", "outDir": "o", "model": "tv:resnet18", "loss": "la", "tau": 0.5})["tau"] == 0.5
    for bad, field in (({"batchSize": 0}, "batchSize"), ({"loss": "focal"}, "loss"), ({"model": "tv:"}, "model"),
                       ({"valFraction": 0.9}, "valFraction"), ({"finetune": {"modelJson": "m/model.json"}}, "finetune"), ({"outDir": ""}, "outDir")):
        with pytest.raises(ConfigError, match=f"setting {field} = "):
            resolve_config({"dataDir": "d", "outDir": "o", **bad})


def test_resume_compares_everything_but_where_and_how_it_runs():
    saved = resolve_config({"dataDir": "d", "outDir": "o"})
    assert resume_conflict(saved, dict(saved, outDir="elsewhere", backend="wasm", workers=2, resume=True)) is None
    assert resume_conflict(saved, dict(saved, warmupEpochs=2)) == "warmupEpochs"


def test_schedule_is_the_typescript_one():
    # Linear warm-up over 10 steps, then cosine over the remaining 90.
    assert learning_rate(0, "cosine", 1.0, 10, 100) == pytest.approx(0.1)
    assert learning_rate(9, "cosine", 1.0, 10, 100) == pytest.approx(1.0)
    assert learning_rate(10, "cosine", 1.0, 10, 100) == pytest.approx(1.0)
    assert learning_rate(55, "cosine", 1.0, 10, 100) == pytest.approx(0.5 * (1 + math.cos(math.pi * 0.5)))
    assert learning_rate(99, "cosine", 1.0, 10, 100) == pytest.approx(0.5 * (1 + math.cos(math.pi * 89 / 90)))
    # Steps of x0.1 at 50% and 75% of the post-warm-up steps.
    assert [learning_rate(s, "step", 1.0, 0, 100) for s in (49, 50, 74, 75)] == pytest.approx([1.0, 0.1, 0.1, 0.01])
