"""Timing and reporting for the benchmarks: medians with min/max, verdicts, the machine and its
load, JSON output and cProfile summaries. Nothing here knows about Loupe."""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

# ---------------------------------------------------------------- timing


def timed(fn: Callable[[], object]) -> float:
    """Seconds for one call. The garbage collector stays on, as in the app (turning it off would
    flatter code that allocates many objects); a collection beforehand gives each run the same
    start."""
    gc.collect()
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


@dataclass
class Stats:
    samples: list[float]  # seconds

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def ms(self) -> str:
        s = sorted(self.samples)
        lo, hi = s[0] * 1e3, s[-1] * 1e3
        return f"{self.median * 1e3:8.1f} ms  (min {lo:.1f}, max {hi:.1f}, n={len(s)})"

    def as_dict(self) -> dict:
        return {"median_ms": self.median * 1e3, "min_ms": min(self.samples) * 1e3,
                "max_ms": max(self.samples) * 1e3, "n": len(self.samples)}  # fmt: skip


def verdict(value_s: float, target_s: float) -> str:
    return "PASS" if value_s <= target_s else "MISS"


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def machine() -> dict:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor() or "?",
    )  # fmt: skip
    versions = {"python": platform.python_version(), "sqlite": sqlite3.sqlite_version}
    try:
        import PySide6

        versions["PySide6"] = PySide6.__version__
    except ImportError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, **versions, "platform": platform.platform(),
            "date": datetime.now().astimezone().isoformat(timespec="seconds")}  # fmt: skip


def header(title: str) -> None:
    m = machine()
    print(f"== {title}")
    print(f"   {m['date']} · {m['nproc']} × {m['cpu']} · Python {m['python']} · "
          f"PySide6 {m.get('PySide6', '?')} · SQLite {m['sqlite']} · {load()}")  # fmt: skip


def arg_parser(description: str, runs: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs, help=f"timed runs (default {runs})")
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    parser.add_argument("--profile", action="store_true", help="cProfile one run, print hot spots")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser


def write_json(path: Path | None, results: dict) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"machine": machine(), "load": os.getloadavg(), "results": results}
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False))


def profile(fn: Callable[[], object], *, top: int = 25, sort: str = "tottime") -> str:
    """One call under cProfile; the `top` functions by `sort`, as text."""
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).strip_dirs().sort_stats(sort).print_stats(top)
    return out.getvalue()


def finish(args, results: dict, window, db) -> int:
    """The common end of a benchmark: the load it ran under, the JSON, and a clean close."""
    print(f"\n   {load()}")
    write_json(args.json, results)
    window.close()
    db.close()
    return 0
