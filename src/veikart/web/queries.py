"""Every read the dashboard makes: the one module between the web pages, the API and the static
site on one side and the store, progress and views on the other (so that it can later be pointed
at the application layer without touching a page).

One `Queries` object per process opens the store once. A `View` is the public state of the
framework for one (period, as-of) choice: the published data, their assessment and the charts,
kept in a small cache keyed by framework, period, as-of date and the store's vintage (the time of
its last changeset), so a page costs one cheap query for the vintage plus formatting.

The publication rule lives in one function, `public()`: a row flagged suppressed (or without a
value) is gone before anything else sees it (`opendata.render.published_table`), and a period not
published (a draft) is left out whole (`opendata.export.published_periods`). Every page, API
response, download, chart and static file is made from a `View`, and a `View` only ever holds
what `public()` returned.

Search runs over the loaded framework in this module (titles, definitions, sub-goals and goal
texts in both languages), not over a full-text index in the store: the framework is small (the UK
corpus has a few hundred indicators), it is in memory already, and both databases then give the
same answers.
"""

from __future__ import annotations

import hashlib
import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from veikart.core.assess import IndicatorResult, assess_framework
from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import Goal, Indicator, Provenance, ReportingPeriod
from veikart.core.periods import Period, PeriodError, as_of_time, date_as_fractional_year
from veikart.core.publication import published_data
from veikart.errors import VeikartError
from veikart.i18n import N_, current_language, fmt_date
from veikart.opendata.render import ILLUSTRATIVE_NOTICE
from veikart.store.store import Store, StoreError

__all__ = [
    "NotFound",
    "Queries",
    "QueryError",
    "View",
    "public",
]

#: Views kept per process (each holds a loaded framework and its assessment).
_MAX_VIEWS = 8
#: Finished answers (page, API document, download) kept per process.
_MAX_ANSWERS = 256


class QueryError(VeikartError):
    """A request the data cannot answer as asked (a bad parameter): HTTP 400 (veikart.errors)."""

    status = 400


class NotFound(QueryError):
    """Nothing public by that name: HTTP 404."""

    status = 404


def public(data: FrameworkData) -> FrameworkData:
    """What of `data` may appear anywhere public: the one publication rule of
    veikart.core.publication (no suppressed row, no row without a value, no draft period)."""
    return published_data(data)


def tr(obj: Any, name: str, lang: str | None = None) -> str:
    """A text field of a model object in `lang` (default: the current language), from its
    translations; the field itself when it has none."""
    lang = lang or current_language()
    translations = getattr(obj, "translations", None) or {}
    return translations.get(lang, {}).get(name) or getattr(obj, name, None) or ""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).casefold()


@dataclass
class View:
    """The public state of a framework for one choice of period and as-of date."""

    data: FrameworkData  # public() only
    results: list[IndicatorResult]
    period: ReportingPeriod | None  # the period shown (selected, else the latest published)
    periods: list[ReportingPeriod]  # every published period, oldest first
    vintage: datetime | None  # when the data shown last changed
    as_of: datetime | None  # None: as known now
    latest_period: bool  # the period shown is the newest published one
    token: str  # changes whenever anything shown could change (for ETags)
    by_id: dict[str, IndicatorResult] = field(default_factory=dict)
    #: per indicator, when its metadata or observations last changed (opendata's store_vintages)
    indicator_vintages: dict[str, datetime] = field(default_factory=dict)
    _charts: dict[tuple[str, ...], Any] = field(default_factory=dict)
    _since: dict[str, Any] = field(default_factory=dict)
    _fresh: dict[str, Any] = field(default_factory=dict)
    _fresh_on: date | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def past(self) -> bool:
        """True when this is not the present view (an as-of date or an earlier period)."""
        return self.as_of is not None or not self.latest_period

    @property
    def framework(self):  # type: ignore[no-untyped-def]
        return self.data.framework

    @property
    def data_as_of(self) -> str | None:
        return fmt_date(self.vintage.date()) if self.vintage else None

    def vintage_of(self, ind_id: str) -> datetime | None:
        """When this indicator's figures are "as known on": its own last change, so that a
        change to one indicator does not re-date the files of all the others."""
        return self.indicator_vintages.get(ind_id, self.vintage)

    def freshness(self, ind_id: str) -> tuple[str, date | None, bool] | None:
        """(latest period, date the next figure is due, overdue?) as the report's freshness
        page counts them (on the as-of date, else today); None without an update frequency."""
        from veikart.report.compose import freshness

        on = self.as_of.date() if self.as_of is not None else date.today()
        with self._lock:
            if self._fresh_on != on:
                self._fresh = {ind.id: (latest, due, over) for ind, latest, due, over in freshness(self.data, on)}
                self._fresh_on = on
            return self._fresh.get(ind_id)

    def record(self, ind_id: str) -> dict[str, Any]:
        """The indicator's progress as JSON (`views.records.indicator_record`, both languages),
        made once per view."""
        from veikart.views.records import indicator_record

        key = ("record", ind_id)
        with self._lock:
            found = self._charts.get(key)
        if found is None:
            found = indicator_record(self.indicator(ind_id))
            with self._lock:
                self._charts[key] = found
        return found

    def goal(self, goal_id: str) -> Goal:
        goal = self.framework.goal(goal_id)
        if goal is None:
            raise NotFound(N_("there is no goal {goal!r}"), goal=goal_id)
        return goal

    def indicator(self, ind_id: str) -> IndicatorResult:
        r = self.by_id.get(ind_id)
        if r is None:
            raise NotFound(N_("there is no indicator {indicator!r}"), indicator=ind_id)
        return r

    def goal_results(self, goal_id: str) -> list[IndicatorResult]:
        return [r for r in self.results if r.indicator.goal == goal_id]

    def assessment(self, goal_id: str):  # type: ignore[no-untyped-def]
        if self.period is None:
            return None
        return next((a for a in self.period.assessments if a.goal == goal_id), None)

    def table(self, ind_id: str) -> ObservationTable | None:
        return self.data.observations.get(ind_id)

    def illustrative(self, ind_id: str) -> bool:
        t = self.table(ind_id)
        return t is not None and Provenance.ILLUSTRATIVE.value in t.provenance

    def chart(self, ind_id: str):  # type: ignore[no-untyped-def]
        """The indicator's chart (`report.document.ChartSpec`) in the current language, or None."""
        lang = current_language()
        key = (ind_id, lang)
        with self._lock:
            if key not in self._charts:
                from veikart.views.charts import chart_for

                when = self.vintage_of(ind_id)
                self._charts[key] = chart_for(
                    self.indicator(ind_id),
                    self.data,
                    f"chart-{ind_id}",
                    vintage=fmt_date(when.date()) if when else None,
                    show_title=False,
                )
            return self._charts[key]


class Queries:
    """The dashboard's access to one store: opened once per process."""

    def __init__(self, db_url: str, *, framework_id: str | None = None, chart_cache: Path | None | bool = None):
        from veikart.views.render import ChartRenderer

        self.store = Store(db_url)
        self.store.check_ready()
        self.framework_id = self.store.resolve_framework(framework_id)
        self.renderer = ChartRenderer(chart_cache)
        self._views: OrderedDict[tuple[Any, ...], View] = OrderedDict()
        self._answers: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._lock = threading.Lock()
        self._render_lock = threading.Lock()

    def close(self) -> None:
        self.store.close()

    def remember(self, key: tuple[Any, ...], make: Any) -> Any:
        """An answer made once per key (the caller puts the view's token in the key, so a
        change in the store makes new answers); the least recently used go first."""
        with self._lock:
            found = self._answers.get(key)
            if found is not None:
                self._answers.move_to_end(key)
                return found
        made = make()
        with self._lock:
            self._answers[key] = made
            while len(self._answers) > _MAX_ANSWERS:
                self._answers.popitem(last=False)
        return made

    # --- parameters ---------------------------------------------------------------------

    @staticmethod
    def parse_as_of(text: str | None) -> datetime | None:
        """'2026-02-01' (the end of that day) or an ISO time, as UTC; None for none."""
        if text is None or text == "":
            return None
        try:
            return as_of_time(text)
        except ValueError:
            raise QueryError(
                N_("as_of={value!r} is not a date; write it as YYYY-MM-DD or an ISO time"), value=text
            ) from None

    # --- views --------------------------------------------------------------------------

    def vintage(self, as_of: datetime | None = None) -> datetime | None:
        return self.store.vintage(self.framework_id, as_of=as_of)

    def view(self, period: str | None = None, as_of: datetime | None = None) -> View:
        """The public view for a period id (default: the latest published) as known at `as_of`."""
        try:
            vintage = self.vintage(as_of)
        except StoreError as exc:
            raise QueryError(exc.template, **exc.args_) from None
        key = (self.framework_id, period, as_of, vintage)
        with self._lock:
            found = self._views.get(key)
            if found is not None:
                self._views.move_to_end(key)
                return found
        made = self._make_view(period, as_of, vintage)
        with self._lock:
            self._views[key] = made
            while len(self._views) > _MAX_VIEWS:
                self._views.popitem(last=False)
        return made

    def _make_view(self, period_id: str | None, as_of: datetime | None, vintage: datetime | None) -> View:
        if as_of is not None and vintage is None:
            raise QueryError(
                N_("nothing was known yet on {date}; choose a later as_of"), date=fmt_date(as_of.date())
            )
        try:
            raw = self.store.load(self.framework_id, as_of=as_of)
        except StoreError as exc:
            raise QueryError(exc.template, **exc.args_) from None
        data = public(raw)
        periods = sorted(data.periods.values(), key=lambda p: p.date)
        if period_id is not None:
            period = data.periods.get(period_id)
            if period is None:
                raise NotFound(
                    N_("there is no published period {period!r}; published: {ids}"),
                    period=period_id,
                    ids=", ".join(p.id for p in periods) or "-",
                )
        else:
            period = periods[-1] if periods else None
        now = date_as_fractional_year(period.date) if period is not None else None
        results = assess_framework(data, now=now)
        token = hashlib.sha256(
            f"{self.framework_id}|{period.id if period else '-'}|{as_of}|{vintage}".encode()
        ).hexdigest()[:20]
        view = View(
            data=data,
            results=results,
            period=period,
            periods=periods,
            vintage=vintage,
            as_of=as_of,
            latest_period=period is None or period is periods[-1],
            token=token,
        )
        view.by_id = {r.indicator.id: r for r in results}
        from veikart.opendata.export import store_vintages

        _overall, per = store_vintages(self.store, self.framework_id, as_of)
        view.indicator_vintages = {k: _naive(datetime.fromisoformat(v)) for k, v in per.items()}
        return view

    # --- what changed since the previous period -------------------------------------------

    def since_last(self, view: View):  # type: ignore[no-untyped-def]
        """The "Siden forrige rapport" slide (`report.document.Slide`) of the period shown, as
        the report composes it: the previous published period and the data known on its date."""
        from veikart.report.compose import ReportInputs, since_last_slide

        lang = current_language()
        with view._lock:
            if lang in view._since:
                return view._since[lang]
        prev_period = prev_data = None
        if view.period is not None:
            earlier = [p for p in view.periods if p.date < view.period.date]
            if earlier:
                prev_period = earlier[-1]
                when = datetime.combine(prev_period.date, time.max)
                if view.as_of is not None and view.as_of < when:
                    when = view.as_of
                try:
                    prev_data = public(self.store.load(self.framework_id, as_of=when))
                except StoreError:
                    prev_data = None  # the store did not know the framework on that date
        slide = since_last_slide(
            ReportInputs(view.data, view.period, lang, lambda *_a: None, prev_data, prev_period, view.results),
            view.results,
        )
        with view._lock:
            view._since[lang] = slide
        return slide

    # --- vintages -----------------------------------------------------------------------

    def vintages(self, limit: int = 200) -> list[dict[str, Any]]:
        """The store's changesets of this framework, newest first: when, who, what."""
        seen: dict[int, dict[str, Any]] = {}
        for e in self.store.audit_trail(self.framework_id):
            entry = seen.setdefault(
                e.changeset_id, {"changeset": e.changeset_id, "at": e.at, "action": e.action, "changes": 0}
            )
            entry["changes"] += 1
            if len(seen) > limit:
                break
        return list(seen.values())[:limit]

    # --- observations -------------------------------------------------------------------

    def observations(
        self,
        view: View,
        ind_id: str,
        *,
        filters: dict[str, list[str]] | None = None,
        period_from: str | None = None,
        period_to: str | None = None,
    ) -> list[int]:
        """The row numbers of an indicator's public table that pass the filters (dimension ->
        codes, '_total' for the total; a period range, both ends included)."""
        ind = view.indicator(ind_id).indicator
        table = view.table(ind_id)
        if table is None:
            return []
        filters = filters or {}
        dims = {d.id: d for d in ind.dimensions}
        positions: dict[str, int] = {}
        for dim_id, codes in filters.items():
            if dim_id not in table.dimensions:
                raise QueryError(
                    N_("indicator {indicator!r} has no dimension {dimension!r}; it has: {dims}"),
                    indicator=ind_id,
                    dimension=dim_id,
                    dims=", ".join(table.dimensions) or "-",
                )
            known = set(dims[dim_id].codes()) if dim_id in dims else {k[table.dimensions.index(dim_id)] for k in table.keys}
            for c in codes:
                if c != "_total" and c not in known:
                    raise QueryError(
                        N_("dimension {dimension!r} has no value {value!r}; it has: {values}"),
                        dimension=dim_id,
                        value=c,
                        values=", ".join(sorted(known)) + ", _total",
                    )
            positions[dim_id] = table.dimensions.index(dim_id)
        lo = _period_bound(period_from, "period_from", start=True)
        hi = _period_bound(period_to, "period_to", start=False)
        wanted = {d: {"" if c == "_total" else c for c in codes} for d, codes in filters.items() if codes}
        rows = []
        for i in range(len(table)):
            key = table.keys[i]
            if any(key[positions[d]] not in codes for d, codes in wanted.items()):
                continue
            if lo is not None or hi is not None:
                p = Period.parse(table.periods[i])
                if (lo is not None and p.end < lo) or (hi is not None and p.start > hi):
                    continue
            rows.append(i)
        return rows

    # --- search -------------------------------------------------------------------------

    def search(self, view: View, text: str) -> list[tuple[str, str, Any]]:
        """Goals, sub-goals and indicators whose texts (in any language) hold every word of
        `text`: ("goal" | "indicator", id, object), goals first."""
        words = [_fold(w) for w in text.split() if w.strip()]
        if not words:
            return []
        hits: list[tuple[str, str, Any]] = []

        def matches(*parts: str) -> bool:
            hay = _fold(" ".join(p for p in parts if p))
            return all(w in hay for w in words)

        def texts(obj: Any, *names: str) -> list[str]:
            out = [getattr(obj, n, None) or "" for n in names]
            for tr_fields in (getattr(obj, "translations", None) or {}).values():
                out += [tr_fields.get(n) or "" for n in names]
            return out

        for g in view.framework.goals:
            sub = [t for s in g.subgoals for t in [s.code, *texts(s, "title")]]
            if matches(g.id, *texts(g, "title", "description"), *sub):
                hits.append(("goal", g.id, g))
        for ind in view.data.indicators.values():
            if matches(ind.id, *texts(ind, "title", "definition", "unit_label"), *[s.organisation for s in ind.sources]):
                hits.append(("indicator", ind.id, ind))
        return hits

    # --- files --------------------------------------------------------------------------

    def indicator_files(self, view: View, ind_id: str) -> dict[str, bytes]:
        """The indicator's open-data CSV and JSON, exactly as `veikart export-data` writes them
        (from the public rows only): {"csv": ..., "json": ...}."""
        from veikart.opendata.export import generator
        from veikart.opendata.render import Job, build_indicator, csv_path, json_path

        r = view.indicator(ind_id)
        ind = r.indicator
        key = ("files", ind_id, current_language())
        with view._lock:
            if key in view._charts:
                return view._charts[key]
        from veikart.opendata.export import iso_time
        from veikart.opendata.render import Assessed, latest_record

        job = Job(ind, view.table(ind_id), view.framework, iso_time(view.vintage_of(ind_id)), "", generator())
        # the progress and chart of this view (the page's own numbers), not a second assessment
        built = build_indicator(job, lambda: Assessed(r.status.value, latest_record(job.table), view.record(ind_id), view.chart(ind_id)))
        files = {"csv": built.files[csv_path(ind_id)], "json": built.files[json_path(ind_id)]}
        with view._lock:
            view._charts[key] = files
        return files

    def svg(self, spec: dict[str, Any]) -> str:
        with self._render_lock:  # one vl-convert engine per process
            return self.renderer.svg(spec)

    def png(self, spec: dict[str, Any]) -> bytes:
        with self._render_lock:
            return self.renderer.png(spec)


def _naive(when: datetime) -> datetime:
    """A time as the store keeps it: UTC without a zone."""
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def _period_bound(text: str | None, name: str, *, start: bool) -> date | None:
    if text is None or text == "":
        return None
    try:
        p = Period.parse(text)
    except (PeriodError, ValueError):
        raise QueryError(
            N_("{name}={value!r} is not a period; write it as 2024, 2024-Q2, 2024-05 or 2024-05-31"),
            name=name,
            value=text,
        ) from None
    return p.start if start else p.end


def illustrative_notice(lang: str | None = None) -> str:
    return ILLUSTRATIVE_NOTICE[lang or current_language()]


def indicator_goal(view: View, ind: Indicator) -> Goal | None:
    return view.framework.goal(ind.goal)
