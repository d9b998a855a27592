"""Benchmark: progress of 10,000 series x 20 points, vectorised vs a plain Python loop.

    python benchmarks/bench_progress.py [--series 10000] [--points 20] [--repeat 5]

The baseline is a straightforward per-series loop over Python lists with the math module,
implementing the same rules as veikart.core.progress (methodology.md). Both are checked to give
the same statuses (and scores to 1e-9) before the timings are printed. Target: assess_many
<= 1 s and >= 10x faster than the loop. The per-series public function assess_series is timed
too, for information (it shares assess_many's numpy kernel, so it pays numpy's per-call cost).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from veikart.core.progress import STATUS_CODES, assess_many, assess_series

TOL = 1e-12
T = TypeVar("T")


# --- data -------------------------------------------------------------------------------------


def make_inputs(n: int, m: int, seed: int = 2026) -> dict[str, np.ndarray]:
    """Annual series 2005..2005+m-1 with gaps, half with a target, a quarter with a limit."""
    rng = np.random.default_rng(seed)
    times = 2005.5 + np.arange(m, dtype=np.float64)
    level = rng.uniform(5, 95, size=(n, 1))
    directions = rng.choice([1.0, -1.0], size=n)
    drift = directions[:, None] * rng.normal(0.01, 0.015, size=(n, 1))  # mostly the desired way
    values = level * np.exp(np.cumsum(drift + rng.normal(0, 0.03, size=(n, m)), axis=1))
    values[rng.random((n, m)) < 0.1] = np.nan
    has_target = rng.random(n) < 0.5
    targets = np.where(has_target, level[:, 0] * (1 + directions * rng.uniform(0.05, 0.6, n)), np.nan)
    target_times = np.where(has_target, 2030.5, np.nan)
    limits = np.where(~has_target & (rng.random(n) < 0.5), 100.0, np.nan)
    base_times = np.full(n, 2008.0)
    return dict(times=times, values=values, directions=directions, base_times=base_times,
                targets=targets, target_times=target_times, limits=limits)  # fmt: skip


# --- the baseline: one series at a time, plain floats -----------------------------------------


def _band(value: float, high: float, medium: float) -> str:
    if value >= high - TOL:
        return "on_track"
    if value >= medium - TOL:
        return "acceleration_needed"
    return "limited_progress" if value >= -TOL else "deterioration"


_LOW = {"on_track": 2.5, "acceleration_needed": 0.0, "limited_progress": -2.5, "deterioration": -5.0}


def _clamp(score: float, status: str) -> float:
    return max(min(score, 5.0), -5.0, _LOW[status])


def _limit_factor(base: float, limit: float, d: float) -> float:
    if math.isnan(limit) or d * (limit - base) < 0:
        return 1.0
    b, lim = abs(base), abs(limit)
    if b >= 2 * lim:
        return 1.0
    return 1 - (b / lim) ** 4.44 if b <= lim else 1 - ((2 * lim - b) / lim) ** 4.44


def loop_one(times, values, d, base_time, target, target_time, limit) -> tuple[str, float]:
    obs = sorted(
        ((t, v) for t, v in zip(times, values, strict=True) if not math.isnan(v)), key=lambda o: o[0]
    )
    window = [o for o in obs if math.isnan(base_time) or o[0] >= base_time - 1e-9]
    has_target = not math.isnan(target)
    if obs and has_target and d * (obs[-1][1] - target) >= 0:
        return "target_achieved", 5.0
    if len(window) < 2 or window[-1][0] - window[0][0] < 1 - 1e-9:
        return "unable_to_assess", math.nan
    signed = [v for _, v in window] + ([target] if has_target else [])
    if any(v > 0 for v in signed) and any(v < 0 for v in signed):
        return "unable_to_assess", math.nan
    (t0, y0), (ti, yi) = window[0], window[-1]
    s = -1.0 if any(v < 0 for v in signed) else 1.0
    y0 = y0 or s * 0.001
    directed = s * d * ((yi / y0) ** (1 / (ti - t0)) - 1)
    if has_target:
        required = abs(((target or s * 0.001) / y0) ** (1 / (target_time - t0)) - 1)
        r = (
            directed / required
            if required > 0
            else (0.0 if directed == 0 else math.copysign(math.inf, directed))
        )
        status = _band(r, 0.95, 0.60)
        return status, _clamp((r - 0.6) / 0.24 if r <= 0.6 else (r - 0.6) / 0.14, status)
    c = _limit_factor(y0, limit, d)
    status = _band(directed, 0.015 * c, 0.005 * c)
    if directed < 0:
        raw = -2.5 + 125 * directed
    elif c == 0:
        raw = 5.0
    else:
        x = directed / c
        raw = -2.5 + 500 * x if x < 0.005 else (250 * x - 1.25 if x < 0.015 else 500 * x - 5)
    return status, _clamp(raw, status)


def loop_all(inp: dict[str, np.ndarray]) -> list[tuple[str, float]]:
    times = inp["times"].tolist()
    keys = ("values", "directions", "base_times", "targets", "target_times", "limits")
    rows = zip(*(inp[k].tolist() for k in keys), strict=True)
    return [loop_one(times, *row) for row in rows]


# --- timing -------------------------------------------------------------------------------------


def best_of(repeat: int, fn: Callable[[], T]) -> tuple[float, T]:
    """Shortest wall time of ``repeat`` calls, and the last result."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", type=int, default=10_000)
    ap.add_argument("--points", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    inp = make_inputs(args.series, args.points)

    def vectorised() -> dict[str, Any]:
        return assess_many(inp["times"], inp["values"], inp["directions"], inp["base_times"],
                           inp["targets"], inp["target_times"], inp["limits"])  # fmt: skip

    t_many, many = best_of(args.repeat, vectorised)
    t_loop, loop = best_of(max(1, args.repeat // 2), lambda: loop_all(inp))

    statuses = [s.value for s in many["status"]]
    assert statuses == [s for s, _ in loop], "the loop and assess_many disagree on a status"
    scores = np.array([sc for _, sc in loop])
    assert np.allclose(many["score"], scores, rtol=0, atol=1e-9, equal_nan=True)

    k = min(args.series, 2000)

    def opt(key: str, i: int) -> float | None:
        x = float(inp[key][i])
        return None if math.isnan(x) else x

    def per_series():
        return [
            assess_series(inp["times"], inp["values"][i], direction=inp["directions"][i],
                          base_time=opt("base_times", i), target=opt("targets", i),
                          target_time=opt("target_times", i), limit=opt("limits", i))
            for i in range(k)
        ]  # fmt: skip

    t_series, _ = best_of(1, per_series)
    t_series *= args.series / k

    counts = {s.value: statuses.count(s.value) for s in STATUS_CODES}
    met = t_many <= 1 and t_loop / t_many >= 10
    rows = [
        ("assess_many (numpy)", t_many, ""),
        ("plain Python loop (math): baseline", t_loop, ""),
        ("assess_series, one call per series", t_series, f"  (extrapolated from {k:,})"),
    ]
    print(f"{args.series:,} series x {args.points} points, best of {args.repeat} (numpy {np.__version__})")
    print(f"  {'':<38}{'wall time':>11}  {'x assess_many':>13}")
    for name, secs, note in rows:
        print(f"  {name:<38}{secs * 1e3:8.1f} ms  {secs / t_many:12.1f}x{note}")
    print(f"  speed-up over the loop: {t_loop / t_many:.1f}x; target <= 1000 ms and >= 10x: "
          f"{'met' if met else 'NOT met'}")  # fmt: skip
    print("  statuses: " + ", ".join(f"{k}={v}" for k, v in counts.items() if v))


if __name__ == "__main__":
    main()
