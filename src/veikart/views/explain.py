"""Plain-language explanations of progress, one paragraph per series, in bokmål or English.

"Andelen økte fra 62 % i 2023 til 71 % i 2025. For å nå 100 % innen 2030 må den øke med 5,8
prosentpoeng per år; takten hittil er 4,5. Framgang, men tempoet må økes."

Used by the progress command, the report and the dashboard, so that all three say the same.
"""

from __future__ import annotations

from veikart.core.assess import IndicatorResult, SeriesResult
from veikart.core.model import Indicator, IndicatorKind, Unit
from veikart.core.periods import Period
from veikart.core.progress import Status
from veikart.i18n import _, fmt_percent
from veikart.i18n.labels import label, progress_label, reason_label
from veikart.views.format import fmt_deadline, fmt_pace, fmt_period, fmt_value, fmt_year

__all__ = ["explain_indicator", "explain_series"]


def _subject(unit: Unit) -> str:
    if unit is Unit.PERCENT:
        return _("The share")
    if unit is Unit.COUNT:
        return _("The number")
    if unit is Unit.DAYS:
        return _("The time")
    return _("The value")


def _change(ind: Indicator, s: SeriesResult, i0: int, i1: int) -> str:
    v0, v1 = s.values[i0], s.values[i1]
    args = {
        "subject": _subject(ind.unit),
        "a": fmt_value(v0, ind.unit),
        "p0": fmt_period(s.periods[i0]),
        "b": fmt_value(v1, ind.unit),
        "p1": fmt_period(s.periods[i1]),
    }
    if v1 > v0:
        return _("{subject} rose from {a} in {p0} to {b} in {p1}.").format(**args)
    if v1 < v0:
        return _("{subject} fell from {a} in {p0} to {b} in {p1}.").format(**args)
    return _("{subject} was {b} in both {p0} and {p1}.").format(**args)


def _index_at(s: SeriesResult, t: float | None) -> int:
    if t is None:
        return 0
    return min(range(len(s.times)), key=lambda i: abs(s.times[i] - t))


def explain_series(ind: Indicator, s: SeriesResult) -> str:
    """One paragraph on one series: what happened, what is needed, and the verdict."""
    p = s.progress
    parts: list[str] = []
    if not s.values:
        return _("No observations yet.")
    i0 = _index_at(s, p.base_year if p else None)
    i1 = len(s.values) - 1
    if i1 > i0:
        parts.append(_change(ind, s, i0, i1))
    else:
        parts.append(
            _("{subject} was {b} in {p1}.").format(
                subject=_subject(ind.unit), b=fmt_value(s.values[i1], ind.unit), p1=fmt_period(s.periods[i1])
            )
        )
    proj = s.projection
    if p is None:
        return " ".join(parts + [_not_assessed(ind, s, with_projection=s.is_total)])
    if p.status is Status.TARGET_ACHIEVED and s.ambition is not None:
        parts.append(
            _("The ambition of {target} by {deadline} is reached.").format(
                target=fmt_value(s.ambition.value, ind.unit), deadline=fmt_deadline(s.ambition.deadline)
            )
        )
    elif p.status is Status.UNABLE_TO_ASSESS:
        parts.append(_("Progress cannot be assessed: {reason}.").format(reason=reason_label(p.reason or "")))
        return " ".join(parts)
    elif s.ambition is not None and p.base_year is not None and p.current_year is not None:
        years = p.current_year - p.base_year
        so_far = (s.values[i1] - s.values[i0]) / years if years > 0 else 0.0
        req = proj.required if proj else None
        if req is not None and req.per_year is not None:
            verb = _("rise") if req.per_year >= 0 else _("fall")
            parts.append(
                _("To reach {target} by {deadline} it must {verb} by {pace} a year; the pace so far is {so_far}.").format(
                    target=fmt_value(s.ambition.value, ind.unit),
                    deadline=fmt_deadline(s.ambition.deadline),
                    verb=verb,
                    pace=fmt_pace(req.per_year, ind.unit),
                    so_far=fmt_pace(so_far, ind.unit) if so_far >= 0 else "-" + fmt_pace(so_far, ind.unit),
                )
            )
        elif req is not None and req.overdue:
            parts.append(
                _("The deadline {deadline} for {target} has passed without the ambition being reached.").format(
                    deadline=fmt_deadline(s.ambition.deadline), target=fmt_value(s.ambition.value, ind.unit)
                )
            )
        if proj is not None:
            parts.append(_projection_sentence(ind, s))
    elif p.progress_value is not None:
        parts.append(
            _(
                "Without an ambition the pace is judged against a yearly change of 1.5 % in the "
                "desired direction; it has been {rate} a year."
            ).format(rate=fmt_percent(p.progress_value * 100, 1))
        )
    if p.zero_replaced:
        parts.append(_("(A value of zero was replaced by 0.001 in the calculation.)"))
    parts.append(progress_label(p.status.value) + ".")
    return " ".join(parts)


def _projection_sentence(ind: Indicator, s: SeriesResult) -> str:
    proj = s.projection
    assert proj is not None and s.ambition is not None
    model = label(proj.model)
    if proj.expected_attainment is not None:
        return _("With the current trend ({model}) the ambition is expected to be reached in {year}.").format(
            model=model, year=fmt_year(proj.expected_attainment)
        )
    text = _("With the current trend ({model}) the ambition is not reached before {year}.").format(
        model=model, year=fmt_year(proj.not_before or 2100)
    )
    if proj.value_at_target is not None:
        text += " " + _("By {deadline} it would be {value}.").format(
            deadline=fmt_deadline(s.ambition.deadline), value=fmt_value(proj.value_at_target, ind.unit)
        )
    return text


def _not_assessed(ind: Indicator, s: SeriesResult, *, with_projection: bool = True) -> str:
    proj = s.projection if with_projection else None
    if ind.kind is IndicatorKind.STATISTIC:
        head = _("A statistic: followed without an ambition, not assessed.")
    elif ind.projection_only:
        head = _("No ambition proposed; projection only.")
    elif ind.assessed_series:
        head = _("Not assessed: the status is made of the series the metadata name, and this is not one of them.")
    else:
        head = _("Not assessed: the indicator has no desired direction.")
    if proj is None:
        return head
    end_t, mid = proj.end[0], proj.end[1]
    end_year = Period.parse(str(int(end_t))).year if end_t >= 1 else int(end_t)
    return head + " " + _("With the current trend ({model}) it would be {value} in {year}.").format(
        model=label(proj.model), value=fmt_value(mid, ind.unit), year=end_year
    )


def _scope_text(ind: Indicator, scope: dict[str, str]) -> str:
    """A series by its dimension titles and value labels: 'Units: Percentage (%), Sex: Female'."""
    dims = {d.id: d for d in ind.dimensions}
    parts = []
    for dim_id, code in scope.items():
        dim = dims.get(dim_id)
        label = next((v.label or v.code for v in dim.values if v.code == code), code) if dim else code
        parts.append(f"{dim.title if dim else dim_id}: {label}")
    return ", ".join(parts) or _("the total")


def explain_indicator(r: IndicatorResult) -> str:
    """The headline paragraph of an indicator: its total series, or a summary of its series."""
    ind = r.indicator
    if r.headline is not None:
        return explain_series(ind, r.headline)
    if not r.series:
        return _("No observations yet.")
    if r.aggregated:
        considered = [s for s in r.series if s.progress is not None]
        assessed = [s for s in considered if s.progress.score is not None]  # type: ignore[union-attr]
        text = _("The status is the mean score of {n} series ({m} could be assessed): {status}.").format(
            n=len(considered), m=len(assessed), status=progress_label(r.status.value)
        )
        if r.reason == "no_headline":
            text = _(
                "The data have no headline (a series with every disaggregation blank) for {what}; "
                "its series are averaged instead."
            ).format(what="; ".join(_scope_text(ind, m) for m in r.missing)) + " " + text
        elif r.reason == "no_series":
            text = _("The data lack a series the status should be made of: {what}.").format(
                what="; ".join(_scope_text(ind, m) for m in r.missing)
            ) + " " + text
        return text
    return _not_assessed(ind, r.series[0], with_projection=False) + " " + _(
        "{n} series, none of them a total."
    ).format(n=len(r.series))
