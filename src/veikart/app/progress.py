"""Use cases on progress: every indicator's assessment, its JSON records, and backtests."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from veikart.app.context import AppContext
from veikart.app.framework import Loaded, load_framework

if TYPE_CHECKING:
    from veikart.core.assess import BacktestRow, IndicatorResult

__all__ = ["Assessed", "assess", "backtest", "backtest_records", "progress_records"]


@dataclass
class Assessed:
    loaded: Loaded
    results: list[IndicatorResult]


def assess(
    ctx: AppContext, framework: str | None = None, *, period: str | None = None, as_of: str | None = None
) -> Assessed:
    """Status, score, projection and explanation of every indicator (methodology.md), the pace
    counted from `period`'s date."""
    from veikart.core.assess import assess_framework

    loaded = load_framework(ctx, framework, as_of=as_of, period=period)
    return Assessed(loaded, assess_framework(loaded.data, now=loaded.now))


def progress_records(assessed: Assessed) -> list[dict[str, Any]]:
    """JSON-ready records, one per indicator, with its series (views.records)."""
    from veikart.views.records import indicator_record

    return [indicator_record(r) for r in assessed.results]


def backtest(
    ctx: AppContext, holdout: int, framework: str | None = None, *, as_of: str | None = None
) -> list[BacktestRow]:
    """Each projection model's error on the last `holdout` observations of every series."""
    from veikart.core.assess import backtest_framework

    loaded = load_framework(ctx, framework, as_of=as_of)
    return backtest_framework(loaded.data, holdout)


def _rounded(x: float) -> float | None:
    return None if math.isnan(x) else round(x, 3)


def backtest_records(rows: list[BacktestRow], holdout: int) -> list[dict[str, Any]]:
    """The backtest as JSON-ready records."""
    return [
        {
            "model": r.model.value,
            "mape": _rounded(r.summary.mape),
            "bias": _rounded(r.summary.bias),
            "series": r.summary.n_series,
            "points": r.summary.n_errors,
            "chosen_by": r.chosen_by,
            "holdout": holdout,
        }
        for r in rows
    ]
