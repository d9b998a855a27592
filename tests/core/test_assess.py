"""Progress of whole frameworks: series, ambitions per scope, headline status, projections."""

from __future__ import annotations

import copy
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from veikart.core.assess import assess_framework, backtest_framework, deadline_time
from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import (
    Ambition,
    AssessedSeries,
    Dimension,
    DimensionRole,
    DimensionValue,
    Direction,
    Framework,
    Goal,
    Indicator,
    IndicatorKind,
    ProjectionModel,
    Unit,
)
from veikart.core.periods import PeriodKind
from veikart.core.progress import Status
from veikart.package.reader import read_package

DEFAULT = Path(str(files("veikart") / "data" / "default"))


def framework(*indicators: tuple[Indicator, ObservationTable]) -> FrameworkData:
    fw = Framework(id="t", title="T", owner="O", base_year=2023, horizon_year=2030, goals=[Goal(id="1", title="G")])
    data = FrameworkData(fw)
    for ind, table in indicators:
        data.indicators[ind.id] = ind
        data.observations[ind.id] = table
    return data


def share(ind_id: str = "andel", **kw: object) -> Indicator:
    base = dict(id=ind_id, title="Andel", goal="1", definition="d", unit=Unit.PERCENT)
    base.update(kw)
    return Indicator(**base)  # type: ignore[arg-type]


def table(ind_id: str, rows: list[tuple[tuple[str, ...], str, float]], dims: tuple[str, ...] = ()) -> ObservationTable:
    t = ObservationTable(ind_id, dims)
    for key, period, value in rows:
        t.append(key, period, value, None, "", "illustrative", "", "")
    return t


def test_deadline_counts_at_the_midpoint_of_the_datas_own_period() -> None:
    assert deadline_time(date(2030, 12, 31), PeriodKind.YEAR) == 2030.5
    assert deadline_time(date(2029, 12, 31), PeriodKind.MONTH) == pytest.approx(2029 + 11.5 / 12)
    assert deadline_time(date(2029, 12, 31), PeriodKind.QUARTER) == pytest.approx(2029.875)


def test_the_issue_example_numbers() -> None:
    """62 % in 2023, 71 % in 2025, 100 % by 2030: pace needed 5.8 points a year, 4.5 so far."""
    ind = share(ambitions=[Ambition(value=100, unit=Unit.PERCENT, deadline=date(2030, 12, 31))], projection_model="linear")
    (r,) = assess_framework(framework((ind, table("andel", [((), "2023", 62), ((), "2025", 71)]))))
    s = r.headline
    assert s is not None and s.progress is not None and s.required is not None
    assert s.required.per_year == pytest.approx(5.8)
    # two observations fit any two-parameter model exactly: no projection from them
    assert s.projection is None and s.too_short_to_project
    # R = CAGR(71/62 over 2 y) / CAGR(100/62 over 7 y) = 0.070145 / 0.070678 = 0.9925 -> on track
    assert s.progress.progress_value == pytest.approx(((71 / 62) ** 0.5 - 1) / ((100 / 62) ** (1 / 7) - 1))
    assert r.status is Status.ON_TRACK


def test_per_dimension_ambitions_are_assessed_per_value_and_nationally() -> None:
    region = Dimension(id="region", title="Region", values=[DimensionValue(code="nord"), DimensionValue(code="sor")])
    ambitions = [
        Ambition(value=30, unit=Unit.PERCENT, deadline=date(2029, 12, 31)),
        Ambition(value=30, unit=Unit.PERCENT, deadline=date(2029, 12, 31), scope={"region": "nord"}),
        Ambition(value=20, unit=Unit.PERCENT, deadline=date(2029, 12, 31), scope={"region": "sor"}),
    ]
    ind = share(dimensions=[region], ambitions=ambitions)
    rows = [
        (("",), "2023", 5), (("",), "2025", 10),
        (("nord",), "2023", 5), (("nord",), "2025", 6),
        (("sor",), "2023", 5), (("sor",), "2025", 25),
    ]
    (r,) = assess_framework(framework((ind, table("andel", rows, ("region",)))))
    by_key = {s.key: s for s in r.series}
    assert by_key[("sor",)].ambition.value == 20 and by_key[("sor",)].progress.status is Status.TARGET_ACHIEVED
    assert by_key[("nord",)].ambition.value == 30
    assert by_key[("nord",)].progress.status is Status.LIMITED_PROGRESS
    assert r.headline is by_key[("",)]  # the national figure is the headline
    assert r.status is by_key[("",)].progress.status and not r.aggregated


def test_without_a_total_series_the_status_is_the_mean_score() -> None:
    region = Dimension(id="region", title="Region", values=[DimensionValue(code="a"), DimensionValue(code="b")])
    ind = share(dimensions=[region])
    rows = [(("a",), "2023", 10), (("a",), "2025", 12), (("b",), "2023", 10), (("b",), "2025", 9)]
    (r,) = assess_framework(framework((ind, table("andel", rows, ("region",)))))
    scores = [s.progress.score for s in r.series]
    assert r.aggregated and r.headline is None
    assert r.score == pytest.approx(sum(scores) / 2)


def test_statistics_and_projection_only_get_projections_but_no_status() -> None:
    stat = share("stat", kind=IndicatorKind.STATISTIC)
    proj = share("proj", projection_only=True, unit=Unit.COUNT)
    rows = [((), "2023", 10), ((), "2024", 12), ((), "2025", 14)]
    results = assess_framework(framework((stat, table("stat", rows)), (proj, table("proj", rows))))
    for r in results:
        assert r.status is Status.NOT_ASSESSED and r.score is None
        assert r.headline is not None and r.headline.progress is None
        assert r.headline.projection is not None and r.headline.projection.path[-1][0] == pytest.approx(2030.5)


def test_suppressed_values_are_left_out() -> None:
    t = table("andel", [((), "2023", 10), ((), "2025", 20)])
    t.append((), "2024", None, None, "suppressed", "published", "s", "")
    (r,) = assess_framework(framework((share(), t)))
    assert r.headline.periods == ("2023", "2025")


def test_every_indicator_of_the_bundled_default_gets_a_status_or_projection_only() -> None:
    results = assess_framework(read_package(DEFAULT))
    assert len(results) == 15
    by_id = {r.indicator.id: r for r in results}
    assert by_id["helsedataservice-soknader"].status is Status.NOT_ASSESSED
    assert by_id["helsedataservice-soknader"].headline.projection is not None
    assert by_id["velferdsteknologi"].headline.ambition.value == 100
    pll = by_id["pll-nasjonalt"]
    assert len([s for s in pll.series if s.ambition is not None]) == 5  # national + four regions
    assert all(s.progress is not None for s in pll.series)
    assert by_id["ki-dokumentasjonsassistenter-fastleger"].status is Status.UNABLE_TO_ASSESS  # one observation


def test_backtest_reports_every_model() -> None:
    data = read_package(DEFAULT)
    rows = backtest_framework(data, holdout=1)
    assert {r.model for r in rows} == set(ProjectionModel)
    linear = next(r for r in rows if r.model is ProjectionModel.LINEAR)
    assert linear.summary.n_series > 10 and linear.summary.mape >= 0
    # A perfectly linear series: the linear model has no error.
    ind = share(projection_model="linear")
    exact = framework((ind, table("andel", [((), str(y), 10 + 2 * (y - 2020)) for y in range(2020, 2026)])))
    lin = next(r for r in backtest_framework(exact, 2) if r.model is ProjectionModel.LINEAR)
    assert lin.summary.mape == pytest.approx(0, abs=1e-9)


def test_a_revised_value_changes_the_status_and_as_of_brings_the_old_one_back(store_url: str) -> None:
    from datetime import datetime, timedelta

    from veikart.store.store import Store

    clock_now = [datetime(2026, 1, 1)]
    store = Store(store_url, clock=lambda: clock_now[0])
    store.migrate()
    data = read_package(DEFAULT)
    store.import_data(data, actor="a")
    first = {r.indicator.id: r.status for r in assess_framework(store.load())}
    clock_now[0] += timedelta(days=30)
    revised = copy.deepcopy(data)
    t = revised.observations["tillit-helseopplysninger"]
    t.values[t.periods.index("2025")] = 80.0  # now above the 75 % ambition
    store.import_data(revised, actor="b")
    now = {r.indicator.id: r.status for r in assess_framework(store.load())}
    assert now["tillit-helseopplysninger"] is Status.TARGET_ACHIEVED
    assert first["tillit-helseopplysninger"] is not Status.TARGET_ACHIEVED
    then = {r.indicator.id: r.status for r in assess_framework(store.load(as_of=datetime(2026, 1, 2)))}
    assert then == first
    store.close()


def test_projection_end_is_the_paths_last_point() -> None:
    """`end` is worked out on its own (records and texts need only it); it must be the point the
    full path ends on."""
    rows = [((), "2018", 10.0), ((), "2019", 12.0), ((), "2020", 13.5), ((), "2021", 15.0)]
    (r,) = assess_framework(framework((share(projection_model="linear"), table("andel", rows))))
    proj = r.series[0].projection
    assert proj is not None and len(proj.path) > 2
    assert proj.end == pytest.approx(proj.path[-1], rel=1e-12)
    assert proj.path[0][0] == proj.start_time and proj.path[-1][0] == proj.end_time


def _units_indicator(**kw: object) -> Indicator:
    units = Dimension(
        id="units",
        title="Units",
        role=DimensionRole.UNIT,
        values=[DimensionValue(code="pct"), DimensionValue(code="num")],
    )
    sex = Dimension(id="sex", title="Sex", values=[DimensionValue(code="f")])
    return share("u", unit=Unit.NUMBER, dimensions=[units, sex], **kw)


UNIT_ROWS = [
    (("pct", ""), "2023", 40.0),
    (("pct", ""), "2025", 50.0),
    (("num", ""), "2023", 100.0),
    (("num", ""), "2025", 90.0),
    (("pct", "f"), "2023", 40.0),
    (("pct", "f"), "2025", 30.0),
]


def test_a_unit_dimension_gives_a_headline_per_unit() -> None:
    # no assessed series: both headlines (sex blank) count, the Female series does not;
    # higher is better: pct P = (50/40)^(1/2) - 1 = 0.118 (+5), num P = (90/100)^(1/2) - 1 = -0.051 (-5)
    (r,) = assess_framework(framework((_units_indicator(), table("u", UNIT_ROWS, ("units", "sex")))))
    assert r.aggregated and r.headline is None and r.score == 0.0 and r.reason is None
    # an ambition without a unit applies to each unit's headline, one for pct to that one only
    amb = Ambition(value=60, unit=Unit.NUMBER, deadline=date(2030, 12, 31), scope={"units": "pct"})
    (r,) = assess_framework(framework((_units_indicator(ambitions=[amb]), table("u", UNIT_ROWS, ("units", "sex")))))
    by = {s.key: s for s in r.series}
    assert by[("pct", "")].ambition == amb and by[("num", "")].ambition is None and by[("pct", "f")].ambition is None


def test_assessed_series_have_their_own_direction_and_a_missing_headline_is_said() -> None:
    lower = AssessedSeries(scope={"units": "num"}, direction=Direction.LOWER_IS_BETTER)
    (r,) = assess_framework(
        framework((_units_indicator(assessed_series=[lower]), table("u", UNIT_ROWS, ("units", "sex"))))
    )
    # only num, lower is better: P = -((90/100)^(1/2) - 1) = 0.0513 >= 2 %: on track, +5
    assert r.headline is not None and r.headline.key == ("num", "") and (r.status, r.score) == (Status.ON_TRACK, 5.0)
    assert {s.key for s in r.series if s.progress is not None} == {("num", "")}
    # a unit without a headline: the mean of that unit's series, and the reason
    rows = [row for row in UNIT_ROWS if row[0] != ("pct", "")]
    pct = AssessedSeries(scope={"units": "pct"}, direction=Direction.HIGHER_IS_BETTER)
    (r,) = assess_framework(framework((_units_indicator(assessed_series=[pct]), table("u", rows, ("units", "sex")))))
    # pct/f, higher is better: P = (30/40)^(1/2) - 1 = -0.134 <= -2 %: -5
    assert (r.reason, r.missing, r.status, r.score) == ("no_headline", ({"units": "pct"},), Status.DETERIORATION, -5.0)


def test_a_series_is_ordered_by_time_where_a_range_ends_after_a_later_year() -> None:
    # 2014-2018 starts before 2015 but counts later (2016.5 against 2015.5): it is the latest
    rows = [((), "2023", 10.0), ((), "2024", 11.0), ((), "2023-2027", 12.0)]
    (r,) = assess_framework(framework((share(), table("andel", rows))))
    (s,) = r.series
    assert s.periods == ("2023", "2024", "2023-2027") and s.times == (2023.5, 2024.5, 2025.5)
    assert s.progress is not None and (s.progress.current_value, s.progress.current_year) == (12.0, 2025.5)
