"""Trains one run and writes its run folder (docs/run-format.md), talking to the host in JSON lines.

    python -m lade_torch.train --config CONFIG.json [--device auto|cpu|cuda|mps] [--resume]

CONFIG.json is the TypeScript TrainConfig. Exit status: 0 completed; 1 failed (run.json says "failed" with the
error); 2 a user error (config, dataset, resume mismatch: one error line, no run written); 128 + the signal when
cancelled (130 for SIGINT, 143 for SIGTERM): the current step finishes, checkpoint.pt and run.json ("cancelled")
are written, and --resume continues from there."""
import argparse
import json
import os
import signal
import sys
import time
import traceback
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import numpy as np
import torch

from . import distributed, protocol
from .batches import MEAN, STD, gather, prepare, step_generator
from .config import ConfigError, finetune_weights, resolve_config, resume_conflict
from .dataset import DatasetError, class_counts, hold_out_validation, list_dataset
from .images import build_cache, detect_channels, open_cache
from .losses import loss_for
from .models import build_model
from .runfolder import (CHECKPOINT, RUN_VERSION, export_onnx, load_checkpoint, relative_files, save_checkpoint,
                        write_eval, write_run_json)
from .schedule import learning_rate, round_half_up

EVAL_BATCH = 256
PROGRESS_INTERVAL_S = 0.1  # at most ~10 progress lines a second, plus the last step of every epoch


class UserError(ValueError):
    pass


class Cancelled(Exception):
    pass


class StopSignal:
    """Remembers the first SIGINT/SIGTERM; training stops at the next step boundary."""

    def __init__(self) -> None:
        self.signum: Optional[int] = None
        self.previous = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}

    def restore(self) -> None:
        for s, handler in self.previous.items():
            signal.signal(s, handler)

    def _handle(self, signum, _frame) -> None:
        if self.signum is None:
            self.signum = signum

    @property
    def set(self) -> bool:
        return self.signum is not None


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def backend_of(device: torch.device, ctx: distributed.Context):
    name = f"torch-{device.type}"
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else device.type
    procs = f"{ctx.world} processes (DDP, {'nccl' if device.type == 'cuda' else 'gloo'})" if ctx.world > 1 else "1 process"
    return name, f"PyTorch {torch.__version__} on {where}, {torch.get_num_threads()} CPU threads per process, {procs}"


class Trainer:
    def __init__(self, config: Dict[str, Any], device: torch.device, ctx: distributed.Context, stop: StopSignal, resume: bool):
        self.c, self.device, self.ctx, self.stop, self.resume = config, device, ctx, stop, resume
        self.run_dir = os.path.abspath(config["outDir"])
        self.started_at = now_iso()
        self.timings = {"scanMs": 0, "decodeMs": 0, "trainMs": 0, "evalMs": 0}
        self.history: List[Dict[str, Any]] = []
        self.backend = backend_of(device, ctx)
        self.last_emit = 0.0

    # ---- messages ----
    def progress(self, phase: str, epoch: int, step: int, steps: int, loss=0.0, accuracy=0.0, lr=0.0, rate=0.0, eta=0.0) -> None:
        protocol.send({"type": "progress", "progress": {
            "phase": phase, "epoch": epoch, "epochs": self.c["epochs"], "step": step, "steps": steps,
            "loss": {"total": loss}, "accuracy": accuracy, "lr": lr, "imagesPerSec": rate, "etaSec": eta,
            "backend": self.backend[0], "backendReason": self.backend[1]}})

    def record(self, status: str, error: Optional[str] = None, splits=(), accuracy=None) -> Dict[str, Any]:
        r = {
            "version": RUN_VERSION, "name": os.path.basename(self.run_dir), "status": status, "loss": self.c["loss"],
            "origin": {"kind": "trained", "engine": "torch", "processes": self.ctx.world},
            "classes": self.classes, "trainCounts": self.train_counts, "sourcePrior": self.source_prior,
            "evalSplits": list(splits), "finalAccuracy": accuracy or {},
            "input": {"size": self.c["size"], "channels": self.channels, "mean": MEAN, "std": STD},
            "config": self.c, "backend": {"name": self.backend[0], "reason": self.backend[1]},
            "history": self.history, "timings": self.timings, "startedAt": self.started_at, "finishedAt": now_iso(),
        }
        if error is not None:
            r["error"] = error
        return r

    def write_record(self, status: str, **kw) -> Dict[str, Any]:
        r = self.record(status, **kw)
        if self.ctx.main:
            write_run_json(self.run_dir, r)
        return r

    # ---- phases ----
    def scan(self) -> None:
        t0 = time.time()
        self.progress("scan", 0, 0, 1)
        c = self.c
        try:
            listing = list_dataset(c["dataDir"], c.get("manifest"), c.get("classNames"), c.get("columns"))
        except (DatasetError, OSError) as e:
            raise UserError(str(e)) from None
        self.root = listing.root
        self.classes = listing.classes
        n_classes = len(self.classes)
        self.splits = dict(listing.splits)
        train = self.splits["train"]
        if "val" not in self.splits and c["valFraction"] > 0:
            train, val = hold_out_validation(train, n_classes, c["valFraction"], c["seed"])
            self.splits["train"], self.splits["val"] = train, val
            protocol.log(f"no val/ split: held out {len(val)} training images (stratified, {c['valFraction'] * 100:g}%)")
        self.train_counts = class_counts(train, n_classes)
        self.source_prior = [n / len(train) for n in self.train_counts]
        try:
            self.channels = detect_channels(train) if c["channels"] == "auto" else int(c["channels"])
        except DatasetError as e:
            raise UserError(str(e)) from None
        self.eval_names = [s for s in ("val", "test") if self.splits.get(s)]
        self.timings["scanMs"] = int((time.time() - t0) * 1000)

    def decode(self) -> None:
        """The node's first process decodes every split into <run>/cache; the others wait, then map the files."""
        t0 = time.time()
        c = self.c
        cache_dir = os.path.join(self.run_dir, "cache", f"node{self.ctx.node}" if self.ctx.world > 1 else "")
        names = ["train"] + self.eval_names
        files = {s: os.path.join(cache_dir, f"{s}-{c['size']}x{self.channels}.npy") for s in names}
        total = sum(len(self.splits[s]) for s in names)
        complete = True
        if self.ctx.node_leader:
            os.makedirs(cache_dir, exist_ok=True)
            before = 0
            for s in names:
                if not (self.resume and os.path.isfile(files[s])):
                    done = build_cache(self.splits[s], c["size"], self.channels, files[s],
                                       on_progress=lambda d, b=before: self.progress("decode", 0, b + d, total),
                                       should_stop=lambda: self.stop.set)
                    if not done:
                        complete = False
                        break
                before += len(self.splits[s])
            self.progress("decode", 0, total, total)
        self.ctx.barrier()
        if self.ctx.any(not complete or self.stop.set, self.device):
            raise Cancelled("cancelled while decoding images: nothing trained yet")
        self.cache = {s: open_cache(f) for s, f in files.items()}
        self.labels = {s: np.array([x.label for x in self.splits[s]], dtype=np.int64) for s in names}
        self.timings["decodeMs"] = int((time.time() - t0) * 1000)

    def build(self) -> None:
        c = self.c
        weights, freeze = finetune_weights(c)
        try:
            self.model = build_model(c["model"], c["size"], self.channels, len(self.classes), c["width"], c["seed"], weights, freeze)
        except (ValueError, TypeError) as e:  # TypeError: a torchvision name that is not a classifier builder
            raise UserError(str(e)) from None
        self.model.to(self.device)
        self.loss_fn = loss_for(c["loss"], self.source_prior, c["alpha"], c["lambda"], c["tau"]).to(self.device)
        params = [p for p in self.model.parameters() if p.requires_grad]
        # L2 weight decay on kernels only (not biases or batch-norm parameters), as the TF.js engine does.
        groups = [{"params": [p for p in params if p.dim() > 1], "weight_decay": c["weightDecay"]},
                  {"params": [p for p in params if p.dim() <= 1], "weight_decay": 0.0}]
        if c["optimizer"] == "sgd":
            self.optimizer = torch.optim.SGD(groups, lr=c["lr"], momentum=c["momentum"])
        else:
            self.optimizer = torch.optim.Adam(groups, lr=c["lr"], betas=(0.9, 0.999), eps=1e-8)
        self.net = self.model
        if self.ctx.world > 1:
            self.net = torch.nn.parallel.DistributedDataParallel(self.model, device_ids=[self.device.index] if self.device.type == "cuda" else None)

    def fingerprint(self) -> Dict[str, Any]:
        return {"classes": self.classes, "trainCounts": self.train_counts, "channels": self.channels}

    def checkpoint(self, epoch: int, step_in_epoch: int, global_step: int, partial: Dict[str, float]) -> None:
        if self.ctx.main:
            optimizer = self.optimizer.state_dict()
            # Everything but tensors travels as JSON, so the file loads with torch.load(weights_only=True),
            # whose unpickler in torch 1.13 takes no floats or booleans.
            meta = {"config": self.c, "fingerprint": self.fingerprint(), "epoch": epoch, "stepInEpoch": step_in_epoch,
                    "globalStep": global_step, "history": self.history, "partial": partial, "processes": self.ctx.world,
                    "torch": torch.__version__, "paramGroups": optimizer["param_groups"]}
            save_checkpoint(self.run_dir, {"format": "lade-torch-checkpoint", "version": 1, "meta": json.dumps(meta),
                                           "model": self.model.state_dict(), "optimizerState": optimizer["state"]})

    def logits_of(self, split: str) -> np.ndarray:
        cache = self.cache[split]
        out = []
        self.model.eval()
        with torch.no_grad():
            for start in range(0, len(cache), EVAL_BATCH):
                idx = np.arange(start, min(start + EVAL_BATCH, len(cache)))
                out.append(self.model(prepare(gather(cache, idx), self.device, None)).float().cpu().numpy())
        self.model.train()
        return np.concatenate(out) if out else np.zeros((0, len(self.classes)), np.float32)

    def train(self) -> bool:
        """Returns False when cancelled (checkpoint written)."""
        c, ctx = self.c, self.ctx
        n = len(self.labels["train"])
        batch = min(c["batchSize"], n)
        per_rank = max(1, batch // ctx.world)
        if ctx.world > 1 and batch % ctx.world:
            protocol.log(f"batch {batch} does not split evenly over {ctx.world} processes: {per_rank} each", "warn")
        sampler = torch.utils.data.DistributedSampler(range(n), num_replicas=ctx.world, rank=ctx.rank, shuffle=True, seed=c["seed"], drop_last=ctx.world > 1)
        steps = max(1, len(sampler) // per_rank)
        total_steps = steps * c["epochs"]
        warmup = round_half_up(c["warmupEpochs"] * steps)
        start_epoch = start_step = global_step = 0
        partial = {"lossSum": 0.0, "correct": 0, "seen": 0, "seconds": 0.0}
        if self.resume:
            ck = self.resumed
            self.model.load_state_dict(ck["model"])
            self.optimizer.load_state_dict({"state": ck["optimizerState"], "param_groups": ck["paramGroups"]})
            start_epoch, start_step, global_step = ck["epoch"], ck["stepInEpoch"], ck["globalStep"]
            self.history = list(ck["history"])
            partial = dict(ck["partial"])
            for e in self.history:
                protocol.send({"type": "epoch", "record": e})
            protocol.log(f"resumed at epoch {start_epoch + 1}, step {start_step} of {steps}")
        labels_t = torch.from_numpy(self.labels["train"])
        train_cache = self.cache["train"]
        t_train = time.time()
        try:
            for epoch in range(start_epoch, c["epochs"]):
                sampler.set_epoch(epoch)
                order = np.fromiter(iter(sampler), dtype=np.int64)
                epoch_start = time.time() - partial["seconds"]
                session_start, session_images = time.time(), 0
                loss_sum = torch.zeros((), device=self.device)
                correct = torch.zeros((), device=self.device, dtype=torch.long)
                pending = 0
                lr = 0.0
                first = start_step if epoch == start_epoch else 0
                for step in range(first, steps):
                    idx = order[step * per_rank:(step + 1) * per_rank]
                    gen = step_generator(c["seed"], epoch, step, ctx.rank) if c["augment"] else None
                    x = prepare(gather(train_cache, idx), self.device, gen)
                    y = labels_t[idx].to(self.device, non_blocking=True)
                    lr = learning_rate(global_step, c["schedule"], c["lr"], warmup, total_steps)
                    for g in self.optimizer.param_groups:
                        g["lr"] = lr
                    logits = self.net(x)
                    loss = self.loss_fn(logits, y)
                    self.optimizer.zero_grad(set_to_none=True)
                    loss.backward()
                    self.optimizer.step()
                    global_step += 1
                    loss_sum += loss.detach() * len(idx)
                    correct += (logits.detach().argmax(1) == y).sum()
                    pending += len(idx)
                    session_images += len(idx) * ctx.world
                    last = step + 1 == steps
                    stopping = ctx.any(self.stop.set, self.device)
                    if last or stopping or time.time() - self.last_emit >= PROGRESS_INTERVAL_S:
                        # One device sync per progress line, not per step.
                        partial = {"lossSum": partial["lossSum"] + float(loss_sum), "correct": partial["correct"] + int(correct),
                                   "seen": partial["seen"] + pending, "seconds": time.time() - epoch_start}
                        loss_sum.zero_(), correct.zero_()
                        pending = 0
                        mean_loss = partial["lossSum"] / max(1, partial["seen"])
                        if not np.isfinite(mean_loss):
                            raise RuntimeError(f"Training diverged: loss is {mean_loss} at epoch {epoch + 1}, step {step + 1}; lower lr (now {c['lr']}).")
                        rate = session_images / max(1e-3, time.time() - session_start)
                        self.progress("train", epoch + 1, step + 1, steps, mean_loss, partial["correct"] / max(1, partial["seen"]), lr, rate,
                                      (total_steps - global_step) * batch / max(rate, 1e-9))
                        self.last_emit = time.time()
                    if stopping and not last:
                        self.checkpoint(epoch, step + 1, global_step, partial)
                        protocol.log(f"cancelled at epoch {epoch + 1}, step {step + 1}: checkpoint saved, continue with --resume")
                        return False
                val_accuracy = None
                if "val" in self.cache and ctx.main:
                    val_accuracy = float((self.logits_of("val").argmax(1) == self.labels["val"]).mean())
                seconds = time.time() - epoch_start
                rec = {"epoch": epoch + 1, "loss": partial["lossSum"] / max(1, partial["seen"]), "trainAccuracy": partial["correct"] / max(1, partial["seen"]),
                       "valAccuracy": val_accuracy, "lr": lr, "seconds": seconds, "imagesPerSec": partial["seen"] * ctx.world / max(seconds, 1e-9)}
                self.history.append(rec)
                partial = {"lossSum": 0.0, "correct": 0, "seen": 0, "seconds": 0.0}
                self.checkpoint(epoch + 1, 0, global_step, partial)
                protocol.send({"type": "epoch", "record": rec})
                protocol.log(f"epoch {epoch + 1}/{c['epochs']}: loss {rec['loss']:.4f}, train acc {100 * rec['trainAccuracy']:.1f}%"
                             + ("" if val_accuracy is None else f", val acc {100 * val_accuracy:.1f}%") + f", {rec['imagesPerSec']:.0f} img/s")
                ctx.barrier()
                if ctx.any(self.stop.set, self.device) and epoch + 1 < c["epochs"]:
                    protocol.log(f"cancelled after epoch {epoch + 1}: checkpoint saved, continue with --resume")
                    return False
        finally:
            self.timings["trainMs"] = int((time.time() - t_train) * 1000)
        return True

    def evaluate(self):
        t0 = time.time()
        splits, accuracy = [], {}
        if self.ctx.main:
            for s in self.eval_names:
                logits = self.logits_of(s)
                write_eval(self.run_dir, s, logits, self.labels[s], relative_files([x.path for x in self.splits[s]], self.root))
                accuracy[s] = 100 * float((logits.argmax(1) == self.labels[s]).mean())
                splits.append({"name": s, "count": int(len(logits))})
                self.progress("evaluate", self.c["epochs"], len(splits), len(self.eval_names))
            try:
                export_onnx(self._cpu_copy(), os.path.join(self.run_dir, "model.onnx"), self.channels, self.c["size"])
            except Exception as e:  # the logits are the run's result; a model that will not export is a warning
                protocol.log(f"model.onnx not written: {type(e).__name__}: {e}", "warn")
        self.timings["evalMs"] = int((time.time() - t0) * 1000)
        return splits, accuracy

    def _cpu_copy(self) -> torch.nn.Module:
        import copy

        return copy.deepcopy(self.model).cpu().eval()


def read_config(path: str) -> Dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            raw = json.load(f)
    except OSError as e:
        raise UserError(f"cannot read config '{path}': {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise UserError(f"config '{path}' is not JSON: {e}") from None
    try:
        return resolve_config(raw)
    except ConfigError as e:
        raise UserError(f"{path}: {e}") from None


def run(args: argparse.Namespace, ctx: distributed.Context, stop: StopSignal) -> int:
    config = read_config(args.config)
    resume = args.resume or bool(config.get("resume"))
    run_dir = os.path.abspath(config["outDir"])
    resumed = None
    if resume:
        try:
            resumed = load_checkpoint(run_dir)
        except (FileNotFoundError, ValueError) as e:
            raise UserError(str(e)) from None
        field = resume_conflict(resumed["config"], config)
        if field is not None:
            raise UserError(f"cannot resume '{run_dir}': {field} is {json.dumps(resumed['config'].get(field))} in its checkpoint "
                            f"but {json.dumps(config.get(field))} in {args.config}")
        config = {**resumed["config"], **{k: config[k] for k in ("outDir", "resume", "backend", "workers") if k in config}}
    elif os.path.exists(os.path.join(run_dir, "run.json")) or os.path.exists(os.path.join(run_dir, CHECKPOINT)):
        raise UserError(f"run folder '{run_dir}' already holds a run; continue it with --resume or choose another outDir")
    try:
        device = distributed.pick_device(args.device, ctx)
    except ValueError as e:
        raise UserError(str(e)) from None
    distributed.init(ctx, device)
    if device.type == "cpu" and ctx.world > 1:
        torch.set_num_threads(max(1, (os.cpu_count() or 1) // ctx.local_world))
    t = Trainer(config, device, ctx, stop, resume)
    protocol.log(f"backend {t.backend[0]}: {t.backend[1]}")
    t.scan()
    if resumed is not None and resumed["fingerprint"] != t.fingerprint():
        raise UserError(f"cannot resume '{run_dir}': the dataset's classes, training counts or channels changed since its checkpoint")
    t.resumed = resumed
    if resumed is not None:
        t.history = list(resumed["history"])  # so that run.json says what is already done while the run goes on
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # fixed input size: let cuDNN pick the fastest kernels
    if ctx.main:
        os.makedirs(run_dir, exist_ok=True)
    ctx.barrier()
    try:
        t.write_record("running")
        t.decode()
        t.build()
        completed = t.train()
        if not completed:
            raise Cancelled()
        splits, accuracy = t.evaluate()
        rec = t.write_record("completed", splits=splits, accuracy=accuracy)
        protocol.send({"type": "result", "record": rec})
        return 0
    except Cancelled as e:
        if str(e):
            protocol.log(str(e))
        rec = t.write_record("cancelled")
        protocol.send({"type": "result", "record": rec})
        return 128 + (stop.signum or signal.SIGTERM)
    except UserError:
        raise
    except Exception as e:
        message = f"{type(e).__name__}: {e}"
        if ctx.main:
            t.write_record("failed", error=(message + "\n" + traceback.format_exc())[-4000:])
        raise RuntimeError(message) from e


def main(argv: Optional[List[str]] = None, claim_stdout: bool = True) -> int:
    """claim_stdout=False leaves stdout as it is (for callers in the same process, such as tests)."""
    parser = argparse.ArgumentParser(prog="python -m lade_torch.train", description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True, help="TrainConfig as JSON")
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda", "mps"])
    parser.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint.pt")
    args = parser.parse_args(argv)
    if claim_stdout:
        protocol.claim_stdout()
    ctx = distributed.from_environment()
    protocol.enabled = ctx.main
    stop = StopSignal()
    try:
        return run(args, ctx, stop)
    except UserError as e:
        protocol.error(f"lade_torch.train: {e}")
        print(f"lade_torch.train: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # run.json already says "failed" where a run folder exists
        protocol.error(f"lade_torch.train: {e}")
        traceback.print_exc()
        return 1
    finally:
        stop.restore()
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
