"""Plain-language explanations of progress, one paragraph per series, in bokmål or English.

"Andelen økte fra 62 % i 2023 til 71 % i 2025. For å nå 100 % innen 2030 må den øke med 5,8
prosentpoeng per år; takten hittil er 4,5. Framgang, men tempoet må økes."

Used by the progress command, the report and the dashboard, so that all three say the same.
"""

from __future__ import annotations

import math

from veikart.core.assess import IndicatorResult, ProjectionResult, SeriesResult
from veikart.core.model import Indicator, IndicatorKind, ProjectionModel, Unit
from veikart.core.periods import Period
from veikart.core.progress import Status
from veikart.i18n import N_, _, fmt_number, fmt_percent
from veikart.i18n.labels import (
    PROGRESS_COLOURS,
    Badge,
    label,
    progress_badge,
    progress_label,
    reason_label,
    text_colour,
)
from veikart.views.format import fmt_deadline, fmt_pace, fmt_period, fmt_value, fmt_year

__all__ = [
    "STABLE_BELOW",
    "TREND_LABELS",
    "after_deadline",
    "explain_indicator",
    "explain_series",
    "has_ambition",
    "headline_label",
    "indicator_trend",
    "is_verdict",
    "marked",
    "method_note",
    "model_name",
    "trend",
    "trend_label",
]

#: A series whose compound yearly change is smaller than this (0.5 % a year, Statistics Canada's
#: lower threshold) is "stable"; otherwise "increasing" or "decreasing".
STABLE_BELOW = 0.005
TREND_LABELS = {
    "increasing": N_("increasing"),
    "decreasing": N_("decreasing"),
    "stable": N_("stable"),
    "mixed": N_("mixed"),
}


def indicator_trend(r: IndicatorResult) -> str | None:
    """The trend of an indicator: its total series', else its series' when they agree, else
    'mixed'; None without two observations in any series."""
    if r.headline is not None:
        return trend(r.headline)
    words = {trend(s) for s in r.series} - {None}
    if not words:
        return None
    return words.pop() if len(words) == 1 else "mixed"


def has_ambition(r: IndicatorResult) -> bool:
    """Whether any of the indicator's series is measured against an ambition."""
    return any(s.ambition is not None for s in r.series)


def trend(s: SeriesResult) -> str | None:
    """'increasing', 'decreasing' or 'stable' from the first to the latest observation (compound
    yearly change against STABLE_BELOW); None with fewer than two observations."""
    if len(s.values) < 2:
        return None
    v0, v1 = s.values[0], s.values[-1]
    years = s.times[-1] - s.times[0]
    if v0 > 0 and v1 > 0 and years > 0:
        rate = (v1 / v0) ** (1 / years) - 1
    else:
        rate = 0.0 if v1 == v0 else math.copysign(math.inf, v1 - v0)
    if abs(rate) < STABLE_BELOW:
        return "stable"
    return "increasing" if rate > 0 else "decreasing"


def trend_label(s: SeriesResult) -> str:
    """The trend word of a series ('økende'), or '-' without one."""
    t = trend(s)
    return _(TREND_LABELS[t]) if t else "-"


def model_name(proj: ProjectionResult) -> str:
    """The projection model's name, its growth word matching the sign: a falling compound path
    is 'compound decline', never 'compound growth'."""
    if proj.model is ProjectionModel.COMPOUND and proj.fit.slope < 0:
        return _("compound decline")
    return label(proj.model)


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
    """One paragraph on one series: what happened, what is needed, and the verdict. Status,
    projection, attainment date and pace tell one story, or the paragraph says why they differ.
    Without an ambition there is no verdict: the trend is given in words."""
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
    if p.status is Status.UNABLE_TO_ASSESS:
        parts.append(_("Progress cannot be assessed: {reason}.").format(reason=reason_label(p.reason or "")))
        return " ".join(parts)
    if s.ambition is None:
        return " ".join(parts + [_without_ambition(ind, s)])
    if p.status is Status.TARGET_ACHIEVED:
        parts.append(
            _("The ambition of {target} by {deadline} is reached.").format(
                target=fmt_value(s.ambition.value, ind.unit), deadline=fmt_deadline(s.ambition.deadline)
            )
        )
    elif p.base_year is not None and p.current_year is not None:
        years = p.current_year - p.base_year
        so_far = (s.values[i1] - s.values[i0]) / years if years > 0 else 0.0
        req = s.required
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
        elif s.too_short_to_project:
            parts.append(_too_short(s))
        why = _why_they_differ(s)
        if why:
            parts.append(why)
    if p.zero_replaced:
        parts.append(_("(A value of zero was replaced by 0.001 in the calculation.)"))
    parts.append(progress_label(p.status.value) + ".")
    return " ".join(parts)


def _too_short(s: SeriesResult) -> str:
    from veikart.core.assess import MIN_PROJECTION_OBSERVATIONS

    return _("No projection: {n} observations, fewer than the {m} a trend needs.").format(
        n=len(s.values), m=MIN_PROJECTION_OBSERVATIONS
    )


def after_deadline(s: SeriesResult) -> bool | None:
    """Whether the projection reaches the ambition only after its deadline (None: no projection
    or no deadline to compare with)."""
    proj = s.projection
    if proj is None or s.target_time is None:
        return None
    if proj.expected_attainment is None:
        return True
    return proj.expected_attainment > s.target_time + 1e-9


def _why_they_differ(s: SeriesResult) -> str | None:
    """A sentence when the status (the pace since the base year) and the projection (the
    indicator's model) disagree about reaching the ambition in time."""
    late = after_deadline(s)
    p = s.progress
    if late is None or p is None or s.projection is None:
        return None
    model = model_name(s.projection)
    base = fmt_year(p.base_year) if p.base_year is not None else "-"
    if late and p.status is Status.ON_TRACK:
        return _(
            "The status and the projection differ: the growth since {base} is fast enough to be on track, "
            "but the projection ({model}) reaches the ambition only after the deadline."
        ).format(base=base, model=model)
    if not late and p.status in (Status.ACCELERATION_NEEDED, Status.LIMITED_PROGRESS, Status.DETERIORATION):
        return _(
            "The status and the projection differ: the growth since {base} is too slow to be on track, "
            "but the projection ({model}) reaches the ambition by the deadline."
        ).format(base=base, model=model)
    return None


def _without_ambition(ind: Indicator, s: SeriesResult) -> str:
    """No ambition, no verdict: the trend in words, and whether it goes the desired way."""
    word = trend(s)
    text = _("There is no ambition, so progress is not judged; the trend is {trend}.").format(
        trend=_(TREND_LABELS[word]) if word else "-"
    )
    proj = s.projection
    if proj is not None:
        text += " " + _not_assessed_projection(ind, s)
    elif s.too_short_to_project:
        text += " " + _too_short(s)
    return text


def _projection_sentence(ind: Indicator, s: SeriesResult) -> str:
    proj = s.projection
    assert proj is not None and s.ambition is not None
    model = model_name(proj)
    reach = ""
    if s.reach_value is not None and s.reach_value != s.ambition.value:
        reach = " " + _("({reach} counts as reaching {target}, the natural limit, which a saturating trend never touches.)").format(
            reach=fmt_value(s.reach_value, ind.unit), target=fmt_value(s.ambition.value, ind.unit)
        )
    if proj.expected_attainment is not None:
        return _("With the current trend ({model}) the ambition is expected to be reached in {year}.").format(
            model=model, year=fmt_year(proj.expected_attainment)
        ) + reach
    text = _("With the current trend ({model}) the ambition is not reached before {year}.").format(
        model=model, year=fmt_year(proj.not_before or 2100)
    )
    if proj.value_at_target is not None:
        text += " " + _("By {deadline} it would be {value}.").format(
            deadline=fmt_deadline(s.ambition.deadline), value=fmt_value(proj.value_at_target, ind.unit)
        )
    return text + reach


def _not_assessed_projection(ind: Indicator, s: SeriesResult) -> str:
    proj = s.projection
    assert proj is not None
    end_t, mid = proj.end[0], proj.end[1]
    end_year = Period.parse(str(int(end_t))).year if end_t >= 1 else int(end_t)
    return _("With the current trend ({model}) it would be {value} in {year}.").format(
        model=model_name(proj), value=fmt_value(mid, ind.unit), year=end_year
    )


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
        return head + (" " + _too_short(s) if with_projection and s.too_short_to_project and s.values else "")
    return head + " " + _not_assessed_projection(ind, s)


def is_verdict(r: IndicatorResult) -> bool:
    """A status that judges progress towards an ambition (not a trend) or says it cannot."""
    return has_ambition(r) or r.status in (Status.NOT_ASSESSED, Status.UNABLE_TO_ASSESS)


def headline_label(r: IndicatorResult, illustrative: bool = False) -> str:
    """What a badge or table cell says: the status towards an ambition, else the trend in words
    ('Økende'); '(illustrasjonsdata)' after it when it rests on illustrative data."""
    if is_verdict(r):
        text = progress_label(r.status.value)
    else:
        t = indicator_trend(r)
        word = _(TREND_LABELS[t]) if t else progress_label(Status.UNABLE_TO_ASSESS.value)
        text = word[:1].upper() + word[1:]
    return _("{status} (illustrative data)").format(status=text) if illustrative else text


def _tint(colour: str) -> str:
    """The colour mixed half with white: an illustrative verdict's badge, paler than a real one."""
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{(c + 255) // 2:02X}" for c in rgb)


def headline_badge(r: IndicatorResult, illustrative: bool = False) -> Badge:
    """The headline badge of an indicator, in every output (deck, dashboard): no score (that is
    for the method page and the notes); a trend is grey, not a verdict's colour; a status
    resting on illustrative data says so and is pale."""
    if is_verdict(r):
        colour = progress_badge(r.status.value).colour
    else:
        colour = PROGRESS_COLOURS[Status.NOT_ASSESSED.value]
    if illustrative:
        colour = _tint(colour)
    return Badge(headline_label(r, illustrative), colour, text_colour(colour))


def marked(text: str, illustrative: bool) -> str:
    """A sentence resting on illustrative data, marked as such at its start."""
    return _("Illustrative data: {text}").format(text=text) if illustrative else text


def method_note(r: IndicatorResult) -> str | None:
    """The score behind the status, for the notes and the method page (never the headline)."""
    if r.score is None:
        return None
    score = fmt_number(r.score, 1)
    if has_ambition(r):
        return _("Score by the method: {score} on a scale from -5 to +5 ({status}).").format(
            score=score, status=progress_label(r.status.value)
        )
    s = r.headline
    rate = s.progress.progress_value if s is not None and s.progress is not None else None
    if rate is None:
        return _("Score by the method without an ambition: {score} on a scale from -5 to +5; no verdict is drawn from it.").format(score=score)
    return _(
        "Score by the method without an ambition: {score} on a scale from -5 to +5 (a yearly change of "
        "{rate} against 1.5% in the desired direction); no verdict is drawn from it."
    ).format(score=score, rate=fmt_percent(rate * 100, 1))


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
    reason = ""
    if r.reason == "no_headline":
        reason = _(
            "The data have no headline (a series with every disaggregation blank) for {what}; "
            "its series are averaged instead."
        ).format(what="; ".join(_scope_text(ind, m) for m in r.missing)) + " "
    elif r.reason == "no_series":
        reason = _("The data lack a series the status should be made of: {what}.").format(
            what="; ".join(_scope_text(ind, m) for m in r.missing)
        ) + " "
    if r.aggregated and not has_ambition(r):
        counts = {t: sum(1 for s in r.series if trend(s) == t) for t in TREND_LABELS if t != "mixed"}
        return reason + _("There is no ambition, so progress is not judged. Its {n} series: {trends}.").format(
            n=len(r.series), trends=", ".join(f"{fmt_number(c)} {_(TREND_LABELS[t])}" for t, c in counts.items() if c)
        )
    if r.aggregated:
        considered = [s for s in r.series if s.progress is not None]
        assessed = [s for s in considered if s.progress is not None and s.progress.score is not None]
        return reason + _("The status is the mean score of {n} series ({m} could be assessed): {status}.").format(
            n=len(considered), m=len(assessed), status=progress_label(r.status.value)
        )
    return _not_assessed(ind, r.series[0], with_projection=False) + " " + _(
        "{n} series, none of them a total."
    ).format(n=len(r.series))
