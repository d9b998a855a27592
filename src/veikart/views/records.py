"""Progress results as plain records (JSON-ready dicts), for `veikart progress --json`, the
open-data export and the dashboard. Component names follow Open SDG's calculation components
where they exist (base_value, base_year, current_value, current_year, target, target_year,
direction, limit, progress_value, status, score); ours are added beside them (model,
expected_attainment, required_pace, band)."""

from __future__ import annotations

import math
from typing import Any

from veikart.core.assess import IndicatorResult, SeriesResult
from veikart.i18n import current_language, set_language
from veikart.views.explain import explain_indicator, explain_series, headline_label, is_verdict, marked

__all__ = ["indicator_record", "series_record"]


def _num(x: float | None, digits: int = 6) -> float | None:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return None
    return round(float(x), digits)


def _in_languages(make: Any, languages: tuple[str, ...]) -> dict[str, str]:
    """The same text in each language (the catalogue switches per call)."""
    before = current_language()
    try:
        out = {}
        for lang in languages:
            set_language(lang)
            out[lang] = make()
        return out
    finally:
        set_language(before)


def series_record(
    r: IndicatorResult, s: SeriesResult, languages: tuple[str, ...] = ("nb", "en"), illustrative: bool = False
) -> dict[str, Any]:
    p, proj = s.progress, s.projection
    rec: dict[str, Any] = {
        "series": s.scope,
        "observations": len(s.values),
        "base_value": _num(p.base_value) if p else None,
        "base_year": _num(p.base_year, 4) if p else None,
        "current_value": _num(s.values[-1]) if s.values else None,
        "current_year": _num(s.times[-1], 4) if s.times else None,
        "current_period": s.periods[-1] if s.periods else None,
        "target": s.ambition.value if s.ambition else None,
        "target_year": _num(s.target_time, 4),
        "deadline": s.ambition.deadline.isoformat() if s.ambition else None,
        "ambition_state": s.ambition.state.value if s.ambition else None,
        "direction": p.direction if p else None,
        "limit": _num(p.limit) if p else None,
        "progress_value": _num(p.progress_value) if p else None,
        "status": p.status.value if p else "not_assessed",
        "score": _num(p.score, 4) if p else None,
        "method": p.method if p else None,
        "reason": p.reason if p else None,
        "zero_replaced": bool(p.zero_replaced) if p else False,
        "c_factor": _num(p.c_factor) if p else None,
        "model": proj.model.value if proj else None,
        "expected_attainment": _num(proj.expected_attainment, 3) if proj else None,
        "not_before": _num(proj.not_before, 1) if proj else None,
        "required_pace": None,
        "band": None,
        "explanation": _in_languages(lambda: marked(explain_series(r.indicator, s), illustrative), languages),
    }
    if s.required is not None:
        rec["required_pace"] = {
            "per_year": _num(s.required.per_year),
            "growth_rate": _num(s.required.growth_rate),
            "years_left": _num(s.required.years_left, 3),
            "overdue": s.required.overdue,
            "unit": r.indicator.unit.value,
        }
    if proj is not None and proj.band_at_target is not None:
        rec["band"] = {
            "level": proj.level,
            "at": _num(s.target_time, 4),
            "mid": _num(proj.value_at_target),
            "low": _num(proj.band_at_target[0]),
            "high": _num(proj.band_at_target[1]),
            "from_residuals": proj.fit.band_available,
        }
    return rec


def indicator_record(
    r: IndicatorResult, languages: tuple[str, ...] = ("nb", "en"), illustrative: bool = False
) -> dict[str, Any]:
    """`illustrative`: the indicator's observations include illustrative data; its status,
    label and explanations then say so (`status_illustrative`)."""
    ind = r.indicator
    return {
        "indicator": ind.id,
        "title": ind.title,
        "kind": ind.kind.value,
        "goal": ind.goal,
        "unit": ind.unit.value,
        "projection_only": ind.projection_only,
        "status": r.status.value,
        "status_label": _in_languages(lambda: headline_label(r, illustrative), languages),
        "status_is_verdict": is_verdict(r),  # False: no ambition, the label is the trend in words
        "status_illustrative": illustrative,
        "score": _num(r.score, 4),
        "aggregated": r.aggregated,
        "headline_series": r.headline.scope if r.headline is not None else None,
        "reason": r.reason,
        "missing_series": [dict(m) for m in r.missing],
        "explanation": _in_languages(lambda: marked(explain_indicator(r), illustrative), languages),
        "series": [series_record(r, s, languages, illustrative) for s in r.series],
    }
