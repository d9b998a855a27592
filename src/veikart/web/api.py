"""The read-only open-data API under /api/v1: the response models (so that the OpenAPI document
describes every answer) and the functions that fill them from a `View` (public data only).
The static site writes the same documents as files (`site.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from veikart.core.model import IndicatorKind
from veikart.web.queries import Queries, View, tr

__all__ = [
    "FrameworkOut",
    "GoalOut",
    "IndicatorOut",
    "ObservationsOut",
    "PeriodOut",
    "ProgressOut",
    "VintageOut",
    "framework_doc",
    "goal_doc",
    "indicator_doc",
    "observations_doc",
    "periods_doc",
    "progress_doc",
]


#: A time in UTC, written with its zone (RFC 3339); the store keeps UTC without one.
UtcTime = Annotated[datetime, AfterValidator(lambda d: d if d.tzinfo else d.replace(tzinfo=UTC))]


class ErrorOut(BaseModel):
    message: str = Field(description="What was wrong, in the language asked for")
    status: int


class SubgoalOut(BaseModel):
    code: str
    title: str
    url: str | None = None
    indicators: list[str]


class GoalOut(BaseModel):
    id: str
    title: str
    description: str | None = None
    subgoals: list[SubgoalOut]
    indicators: list[str]
    statistics: list[str]
    assessment: dict[str, Any] | None = Field(
        default=None, description="The goal's assessment in the period shown (published periods only)"
    )


class IndicatorSummaryOut(BaseModel):
    id: str
    title: str
    goal: str
    kind: str
    unit: str
    status: str
    score: float | None = None
    observations: int
    illustrative: bool


class FrameworkOut(BaseModel):
    id: str
    title: str
    owner: str
    base_year: int
    horizon_year: int
    url: str | None = None
    language: str
    period: str | None = Field(description="The published period shown")
    as_of: UtcTime | None = None
    vintage: UtcTime | None = Field(description="When the data shown last changed")
    goals: list[GoalOut]
    indicators: list[IndicatorSummaryOut]


class IndicatorOut(BaseModel):
    id: str
    metadata: dict[str, Any] = Field(description="The indicator as defined (sources, dimensions, ambitions)")
    progress: dict[str, Any] = Field(description="Status, score and projection per series (views.records)")
    observations: int
    illustrative: bool
    notice: str | None = None
    vintage: UtcTime | None = None
    files: dict[str, str]


class ObservationOut(BaseModel):
    indicator: str
    series: dict[str, str] = Field(description="dimension -> value code; a dimension left out is the total")
    period: str
    value: float
    n: int | None = None
    flags: list[str]
    provenance: str
    source: str | None = None
    note: str | None = None


class ObservationsOut(BaseModel):
    total: int = Field(description="Observations that match, on every page")
    offset: int
    limit: int
    next_offset: int | None = None
    items: list[ObservationOut]


class ProgressOut(BaseModel):
    period: str | None
    indicators: list[dict[str, Any]]


class PeriodOut(BaseModel):
    id: str
    date: str
    title: str
    assessments: list[dict[str, Any]]


class VintageOut(BaseModel):
    changeset: int
    at: UtcTime
    action: str
    changes: int


def _summary(view: View, r: Any) -> IndicatorSummaryOut:
    t = view.table(r.indicator.id)
    return IndicatorSummaryOut(
        id=r.indicator.id,
        title=tr(r.indicator, "title"),
        goal=r.indicator.goal,
        kind=r.indicator.kind.value,
        unit=r.indicator.unit.value,
        status=r.status.value,
        score=r.score,
        observations=len(t) if t is not None else 0,
        illustrative=view.illustrative(r.indicator.id),
    )


def goal_doc(view: View, goal_id: str) -> GoalOut:
    g = view.goal(goal_id)
    rs = view.goal_results(goal_id)
    a = view.assessment(goal_id)
    return GoalOut(
        id=g.id,
        title=tr(g, "title"),
        description=tr(g, "description") or None,
        subgoals=[
            SubgoalOut(
                code=s.code,
                title=tr(s, "title"),
                url=s.url,
                indicators=[r.indicator.id for r in rs if s.code in r.indicator.subgoals],
            )
            for s in g.subgoals
        ],
        indicators=[r.indicator.id for r in rs if r.indicator.kind is IndicatorKind.INDICATOR],
        statistics=[r.indicator.id for r in rs if r.indicator.kind is IndicatorKind.STATISTIC],
        assessment=a.model_dump(mode="json") if a is not None else None,
    )


def framework_doc(view: View, lang: str) -> FrameworkOut:
    fw = view.framework
    return FrameworkOut(
        id=fw.id,
        title=tr(fw, "title"),
        owner=fw.owner,
        base_year=fw.base_year,
        horizon_year=fw.horizon_year,
        url=fw.url,
        language=lang,
        period=view.period.id if view.period else None,
        as_of=view.as_of,
        vintage=view.vintage,
        goals=[goal_doc(view, g.id) for g in fw.goals],
        indicators=[_summary(view, r) for r in view.results],
    )


def indicator_doc(view: View, ind_id: str, files: dict[str, str], notice: str | None) -> IndicatorOut:

    r = view.indicator(ind_id)
    t = view.table(ind_id)
    illustrative = view.illustrative(ind_id)
    return IndicatorOut(
        id=ind_id,
        metadata=r.indicator.model_dump(mode="json"),
        progress=view.record(ind_id),
        observations=len(t) if t is not None else 0,
        illustrative=illustrative,
        notice=notice if illustrative else None,
        vintage=view.vintage_of(ind_id),
        files=files,
    )


def observations_doc(
    q: Queries,
    view: View,
    indicators: list[str],
    *,
    filters: dict[str, list[str]],
    period_from: str | None,
    period_to: str | None,
    offset: int,
    limit: int,
) -> ObservationsOut:
    ids = indicators or list(view.data.indicators)
    for ind_id in ids:
        view.indicator(ind_id)  # unknown id: 404 before anything is counted
    items: list[ObservationOut] = []
    total = 0
    for ind_id in ids:
        t = view.table(ind_id)
        if t is None:
            continue
        own = {d: v for d, v in filters.items() if d in t.dimensions}
        if len(own) < len(filters) and len(ids) == 1:
            q.observations(view, ind_id, filters=filters)  # names the missing dimension
        if len(own) < len(filters):
            continue  # this indicator lacks a dimension filtered on: none of its rows match
        rows = q.observations(view, ind_id, filters=own, period_from=period_from, period_to=period_to)
        start = max(0, offset - total)
        end = max(0, offset + limit - total)
        for i in rows[start:end]:
            items.append(
                ObservationOut(
                    indicator=ind_id,
                    series={d: v for d, v in zip(t.dimensions, t.keys[i], strict=True) if v},
                    period=t.periods[i],
                    value=t.values[i],  # type: ignore[arg-type]  # public rows always have one
                    n=t.n[i],
                    flags=[f for f in t.flags[i].split(";") if f],
                    provenance=t.provenance[i],
                    source=t.source[i] or None,
                    note=t.note[i] or None,
                )
            )
        total += len(rows)
    return ObservationsOut(
        total=total,
        offset=offset,
        limit=limit,
        next_offset=offset + limit if offset + limit < total else None,
        items=items,
    )


def progress_doc(view: View) -> ProgressOut:

    return ProgressOut(
        period=view.period.id if view.period else None, indicators=[view.record(r.indicator.id) for r in view.results]
    )


def periods_doc(view: View) -> list[PeriodOut]:
    return [
        PeriodOut(
            id=p.id,
            date=p.date.isoformat(),
            title=tr(p, "title"),
            assessments=[a.model_dump(mode="json") for a in p.assessments],
        )
        for p in view.periods
    ]
