"""The JSON-lines channel to the host (the TypeScript training worker protocol, WorkerToHost in
src/protocol/training.ts): one message per line on stdout, nothing else there. `claim_stdout` moves file
descriptor 1 to stderr, so stray prints of libraries (and of child processes) cannot corrupt the channel."""
import json
import math
import os
import sys
import threading
from typing import Any, Dict, Optional, TextIO

_lock = threading.Lock()
_out: Optional[TextIO] = None
enabled = True


def claim_stdout() -> None:
    global _out
    if _out is None:
        _out = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
        sys.stdout.flush()
        os.dup2(2, 1)


def finite_json(v: Any) -> Any:
    """JSON has no NaN/Infinity: such numbers travel as null."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {k: finite_json(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [finite_json(x) for x in v]
    return v


def send(message: Dict[str, Any]) -> None:
    if not enabled:
        return
    line = json.dumps(finite_json(message), separators=(",", ":"), allow_nan=False)
    with _lock:
        out = _out or sys.stdout
        out.write(line + "\n")
        out.flush()


def log(message: str, level: str = "info") -> None:
    send({"type": "log", "level": level, "message": message})
    if enabled:
        print(f"[lade_torch] {level}: {message}", file=sys.stderr, flush=True)


def error(message: str) -> None:
    send({"type": "error", "message": message})
