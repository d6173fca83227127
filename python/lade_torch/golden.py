"""Checks a golden file (test/fixtures/lade-golden-public.json schema) against the torch losses in float32
with autograd gradients, and the inference probabilities softmax(z + bias). Prints the largest error of each
quantity; exits 1 past tolerance, 2 on an unreadable file.

    python -m lade_torch.golden FILE [--json]
"""
import argparse
import json
import math
import sys
from typing import Any, Dict, List

import torch

from .losses import LadeCrossEntropy, LadeLoss, LadeRegularizer, softmax_cross_entropy

TOLERANCE_TEXT = {"scalar": "1e-4 + 1e-5|ref|", "elementwise": "1e-5", "exact": "exact"}


def tolerance(kind: str, ref: float) -> float:
    if kind == "scalar":
        return 1e-4 + 1e-5 * abs(ref)
    return 1e-5 if kind == "elementwise" else 0.0


class Tally:
    def __init__(self) -> None:
        self.quantities: Dict[str, Dict[str, Any]] = {}

    def compare(self, name: str, kind: str, case_id: str, ours: List[float], ref: List[float]) -> None:
        q = self.quantities.setdefault(
            name, {"name": name, "tolerance": TOLERANCE_TEXT[kind], "maxAbsError": 0.0, "worstCase": "", "compared": 0, "failed": 0, "_ratio": -1.0}
        )
        if len(ours) != len(ref):
            raise ValueError(f"case '{case_id}' {name}: we computed {len(ours)} values, the file holds {len(ref)}.")
        for a, b in zip(ours, ref):
            err = abs(a - b)
            tol = tolerance(kind, b)
            q["compared"] += 1
            if not err <= tol:  # NaN fails
                q["failed"] += 1
            if math.isnan(err) or err > q["maxAbsError"]:
                q["maxAbsError"] = err
            ratio = math.inf if math.isnan(err) else (err / tol if tol > 0 else (math.inf if err > 0 else 0.0))
            if ratio > q["_ratio"]:
                q["_ratio"], q["worstCase"] = ratio, case_id

    def report(self) -> List[Dict[str, Any]]:
        return [{k: v for k, v in q.items() if k != "_ratio"} for q in self.quantities.values()]


def flat(t: torch.Tensor) -> List[float]:
    return [float(v) for v in t.detach().double().flatten()]


def check_case(case: Dict[str, Any], tally: Tally) -> None:
    cid = case.get("id", "?")
    inp, out = case["inputs"], case["outputs"]
    prior = inp["source_prior"]
    alpha, lam = float(inp["alpha"]), float(inp["remine_lambda"])
    y = torch.tensor(inp["labels"], dtype=torch.long)
    z0 = torch.tensor(inp["logits"], dtype=torch.float32)

    def grad_of(module: torch.nn.Module) -> torch.Tensor:
        z = z0.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(module(z, y), z)
        return g

    lade = LadeLoss(prior, alpha, lam)
    total, ce, reg = lade.parts(z0, y)
    tally.compare("loss_total", "scalar", cid, flat(total), [out["loss_total"]])
    tally.compare("ce", "scalar", cid, flat(ce), [out["ce"]])
    tally.compare("reg", "scalar", cid, flat(reg), [out["reg"]])
    tally.compare("reg_weighted", "scalar", cid, flat(alpha * reg), [out["reg_weighted"]])
    refm = lambda key: [float(v) for row in out[key] for v in row]  # noqa: E731
    tally.compare("grad_total", "elementwise", cid, flat(grad_of(lade)), refm("grad_total"))
    tally.compare("grad_ce", "elementwise", cid, flat(grad_of(LadeCrossEntropy(prior))), refm("grad_ce"))
    regularizer = LadeRegularizer(prior, lam)
    tally.compare("grad_reg", "elementwise", cid, flat(grad_of(regularizer)), refm("grad_reg"))
    tally.compare("ce_plain", "scalar", cid, flat(softmax_cross_entropy(z0, y)), [out["ce_plain"]])
    terms = regularizer.terms(z0, y)
    for key in ("num_samples", "first_term", "second_term", "estim", "cls_weight"):
        tally.compare(f"per_class.{key}", "scalar", cid, flat(terms[key]), [float(v) for v in out["per_class"][key]])

    inference = case.get("inference")
    if inference is None:  # left out where PC Softmax is undefined (p_s = 0)
        return
    ps = torch.tensor(prior, dtype=torch.float64)
    ps = ps / ps.sum()
    pt = torch.tensor(inp["target_prior"], dtype=torch.float64)
    pt = pt / pt.sum()
    uniform = torch.full_like(ps, 1.0 / ps.numel())
    for model, source_weight in (("pc_softmax", 1.0), ("lade", 0.0)):
        for target_name, target in (("target", pt), ("uniform", uniform)):
            # The post-compensation bias, no epsilon: log p_t - w log p_s (w = 1 for PC Softmax, 0 for LADE).
            bias = torch.log(target) - (source_weight * torch.log(ps) if source_weight else 0.0)
            probs = torch.softmax(z0 + bias.float(), dim=1)
            ref_probs = [float(v) for row in inference[f"{model}_probs_{target_name}"] for v in row]
            tally.compare(f"{model}_probs_{target_name}", "elementwise", cid, flat(probs), ref_probs)
            pred = (z0.double() + bias).argmax(dim=1)
            tally.compare(f"{model}_pred_{target_name}", "exact", cid, flat(pred), [float(v) for v in inference[f"{model}_pred_{target_name}"]])


def check_golden(doc: Dict[str, Any]) -> Dict[str, Any]:
    cases = doc.get("cases")
    if not isinstance(cases, list):
        raise ValueError("golden file: 'cases' must be a list.")
    tally = Tally()
    for case in cases:
        try:
            check_case(case, tally)
        except (KeyError, TypeError) as e:
            raise ValueError(f"case '{case.get('id', '?')}': missing or malformed field {e}") from None
    quantities = tally.report()
    return {"cases": len(cases), "quantities": quantities, "ok": all(q["failed"] == 0 for q in quantities)}


def format_report(report: Dict[str, Any]) -> str:
    lines = [f"{report['cases']} loss cases (torch {torch.__version__}, float32, autograd)", f"  {'quantity':<28}{'max |error|':<14}{'tolerance':<20}status"]
    for q in report["quantities"]:
        status = "ok" if q["failed"] == 0 else f"FAIL ({q['failed']} of {q['compared']}, worst in {q['worstCase']})"
        lines.append(f"  {q['name']:<28}{q['maxAbsError']:<14.2e}{q['tolerance']:<20}{status}")
    lines.append(f"torch engine: all {report['cases']} cases pass" if report["ok"] else "torch engine: golden FAILED")
    return "\n".join(lines)


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lade_torch.golden", description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as f:
            doc = json.load(f)
        report = check_golden(doc)
    except (OSError, ValueError) as e:
        print(f"lade_torch.golden: {args.file}: {e}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
