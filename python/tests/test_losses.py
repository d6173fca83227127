import json
import math

import pytest
import torch

from conftest import GOLDEN
from lade_torch import golden
from lade_torch.golden import check_golden
from lade_torch.losses import (LadeCrossEntropy, LadeLoss, LadeRegularizer, LogitAdjustedCrossEntropy, SoftmaxCrossEntropy,
                               loss_for)


def test_golden_cases_pass_in_float32():
    with open(GOLDEN) as f:
        report = check_golden(json.load(f))
    assert report["cases"] == 8 and report["ok"]
    names = {q["name"] for q in report["quantities"]}
    assert {"loss_total", "grad_total", "grad_reg", "per_class.second_term", "lade_probs_target", "pc_softmax_pred_uniform"} <= names


def test_golden_cli_report_and_failure_past_tolerance(tmp_path, capsys):
    assert golden.main([GOLDEN]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("torch engine: all 8 cases pass")
    assert "grad_total" in out
    assert golden.main([GOLDEN, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ok"] is True
    with open(GOLDEN) as f:
        doc = json.load(f)
    doc["cases"][1]["outputs"]["grad_reg"][0][0] += 1e-4  # past the 1e-5 tolerance
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    assert golden.main([str(bad)]) == 1
    out = capsys.readouterr().out
    assert "FAIL (1 of" in out and "golden FAILED" in out
    assert [l for l in out.splitlines() if "FAIL (" in l][0].split()[0] == "grad_reg"
    assert golden.main([str(tmp_path / "missing.json")]) == 2


def finite_difference(fn, z: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    grad = torch.zeros_like(z)
    for idx in range(z.numel()):
        zp, zm = z.clone().flatten(), z.clone().flatten()
        zp[idx] += eps
        zm[idx] -= eps
        grad.view(-1)[idx] = (fn(zp.view_as(z)) - fn(zm.view_as(z))) / (2 * eps)
    return grad


@pytest.mark.parametrize("make", [
    lambda p: LadeLoss(p, alpha=0.3, lam=0.2),
    lambda p: LadeRegularizer(p, 0.5),
    lambda p: LadeCrossEntropy(p),
    lambda p: LogitAdjustedCrossEntropy(p, tau=0.7),
    lambda p: SoftmaxCrossEntropy(),
])
def test_autograd_matches_finite_differences(make):
    gen = torch.Generator().manual_seed(3)
    z = torch.randn(6, 4, generator=gen, dtype=torch.float64) * 2
    y = torch.tensor([0, 0, 1, 3, 0, 1])  # class 2 absent from the batch
    loss = make([50, 20, 5, 1]).double()
    zz = z.clone().requires_grad_(True)
    (auto,) = torch.autograd.grad(loss(zz, y), zz)
    numeric = finite_difference(lambda v: float(loss(v, y)), z)
    assert torch.allclose(auto, numeric, atol=1e-7), (auto - numeric).abs().max()


def test_regularizer_reads_like_its_formula_on_a_hand_case():
    # Two classes, priors 0.75 / 0.25, both labels class 0.
    z = torch.tensor([[1.0, 2.0], [3.0, -1.0]], dtype=torch.float64)
    y = torch.tensor([0, 0])
    lam = 0.1
    ps = [0.75, 0.25]
    a = [(1.0 + 3.0) / (2 + 1e-8), 0.0]
    b = [math.log(sum(math.exp(z[i, c].item() - math.log(ps[c] + 1e-9) + math.log(0.5 + 1e-9)) for i in range(2))) - math.log(2) for c in range(2)]
    expected = -sum(ps[c] * (a[c] - b[c] - lam * b[c] ** 2) for c in range(2))
    assert float(LadeRegularizer(ps, lam).double()(z, y)) == pytest.approx(expected, abs=1e-6)  # buffers are float32


def test_balanced_softmax_is_logit_adjustment_with_tau_one_and_lade_adds_alpha_reg():
    z = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, 1, 2, 0, 0])
    prior = [10, 3, 1]
    assert torch.allclose(loss_for("bs", prior)(z, y), loss_for("la", prior, tau=1.0)(z, y))
    lade = LadeLoss(prior, alpha=0.25, lam=0.01)
    total, ce, reg = lade.parts(z, y)
    assert torch.allclose(total, ce + 0.25 * reg)
    assert torch.allclose(ce, LadeCrossEntropy(prior)(z, y))


def test_priors_are_buffers_that_move_with_the_module():
    lade = LadeLoss([3, 1], 0.1, 0.01).to(torch.float64)
    buffers = dict(lade.named_buffers())
    assert set(buffers) == {"ce.log_prior", "reg.class_weight", "reg.importance_shift"}
    assert all(b.dtype == torch.float64 for b in buffers.values())
    assert not list(lade.parameters())


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="source prior"):
        LadeCrossEntropy([0, 0])
    with pytest.raises(ValueError, match="3 classes, the prior 2"):
        LadeCrossEntropy([1, 1])(torch.zeros(2, 3), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match="unknown loss"):
        loss_for("focal", [1, 1])
