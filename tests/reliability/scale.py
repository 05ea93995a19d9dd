"""How big the reliability runs are: `LOUPE_RELIABILITY_SCALE` unset or `ci` (the default, fast
enough for CI), `large` (the runs whose figures docs/reliability.md reports), or an integer (that
many iterations wherever a test counts them)."""

from __future__ import annotations

import os

SCALE = os.environ.get("LOUPE_RELIABILITY_SCALE", "").strip().lower() or "ci"


def pick(ci: int, large: int) -> int:
    """The iteration count for the current scale."""
    if SCALE.isdigit():
        return int(SCALE)
    return large if SCALE == "large" else ci
