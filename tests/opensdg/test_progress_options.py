"""Open SDG's progress settings give the statuses methodology.md defines, through the real
`veikart import-opensdg` and `veikart progress` commands (issue 14).

Each case is a small repository built here; the expected status and score are worked out by
hand below from /work/shared/methodology.md (annual data: a year counts at its midpoint, so
2015 -> 2020 is 5 years; the base year is Open SDG's default 2015 unless a block sets one).

    CAGR(a, b, n) = (a / b) ^ (1 / n) - 1
    without a target: P = s * d * CAGR; bands 1.5 % * C and 0.5 % * C; score -2.5 at 0,
        0 at 0.5 % C, +2.5 at 1.5 % C, +5 at 2 % C (linear between), -5 at P <= -2 %
    with a target: R = s * d * CAGR(yi, y0) / |CAGR(yT, y0)|; bands 0.95 / 0.60 / 0;
        score 0 at R = 0.60, slope 1 / 0.14 above, 1 / 0.24 below
    natural limit (no target): C = 1 - (b / L) ^ 4.44 for b <= L, 1 - ((2L - b) / L) ^ 4.44
        for L < b < 2L, where the limit lies in the desired direction; else C = 1
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.opensdg.test_importer import make_repo
from tests.opensdg.test_opensdg_cli import veikart
from veikart.store.store import Store


def _meta(number: str, options: str, units: str = "Ratio") -> str:
    return (
        "---\n"
        f"indicator_number: {number}\n"
        f"indicator_available: Indicator {number}\n"
        f"computation_units: {units}\n"
        "auto_progress_calculation: true\n"
        + textwrap.dedent(options).strip()
        + "\n---\n"
    )


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'veikart.db'}"
    with Store(url) as store:
        store.migrate()
    return url


def _progress(db: str, repo: Path) -> tuple[dict[str, dict], str]:
    """Import the repository and return `progress --json` by indicator, and what the import
    printed (its summary on stdout, then its problems on stderr)."""
    code, summary, err = veikart("--db", db, "import-opensdg", str(repo), "--framework-id", "t")
    assert code == 0, err
    code, out, err2 = veikart("--db", db, "progress", "--json", "--framework", "t")
    assert code == 0, err2
    return {r["indicator"]: r for r in json.loads(out)}, summary + err


# --- 1. limit ------------------------------------------------------------------------------


def test_limit_is_the_series_natural_limit_below_at_and_above(db: str, tmp_path: Path) -> None:
    # Each indicator has two units; the Number series (thousands) would break a limit of 100 if
    # it were a bound of every value, so only the block's own series may carry it.
    def data(p0: float, p1: float) -> str:
        return f"Year,Units,Value\n2015,Percentage,{p0}\n2020,Percentage,{p1}\n2015,Number,5000\n2020,Number,5100\n"

    block = "progress_calculation_options:\n  - unit: Percentage\n    direction: {d}\n    limit: '{limit}'\n"
    repo = make_repo(
        tmp_path / "r",
        {
            "1-1-1": _meta("1.1.1", block.format(d="positive", limit=100)),  # below: 90 -> 92
            "1-1-2": _meta("1.1.2", block.format(d="positive", limit=100)),  # at: 100 -> 100
            "1-1-3": _meta("1.1.3", block.format(d="positive", limit=100)),  # above an upper limit
            "1-1-4": _meta("1.1.4", block.format(d="negative", limit=10)),  # above a lower limit
        },
        {"1-1-1": data(90, 92), "1-1-2": data(100, 100), "1-1-3": data(120, 121), "1-1-4": data(15, 14.5)},
    )
    results, _err = _progress(db, repo)

    # below: P = (92/90)^(1/5) - 1 = 0.0044055; C = 1 - 0.9^4.44 = 1 - exp(4.44 * -0.1053605) = 0.373622;
    # bands 0.5 % C = 0.0018681, 1.5 % C = 0.0056043: acceleration needed (without C: limited);
    # score 2.5 * (P - 0.005 C) / (0.01 C) = 2.5 * 0.0025374 / 0.0037362 = 1.6978
    r = results["1-1-1"]
    (s,) = [x for x in r["series"] if x["status"] is not None and x["limit"] is not None]
    assert s["limit"] == 100 and s["c_factor"] == pytest.approx(0.373622, abs=1e-6)
    assert (r["status"], r["score"]) == ("acceleration_needed", pytest.approx(1.6978, abs=1e-3))

    # at: C = 1 - 1^4.44 = 0 and P = 0 >= 0: the limit is held, on track, +5
    assert (results["1-1-2"]["status"], results["1-1-2"]["score"]) == ("on_track", 5.0)

    # above an upper limit while higher is better: the limit is not in the desired direction, C = 1;
    # P = (121/120)^(1/5) - 1 = 0.0016611: limited progress, score -2.5 + 500 P = -1.6694
    assert (results["1-1-3"]["status"], results["1-1-3"]["score"]) == (
        "limited_progress",
        pytest.approx(-1.6694, abs=1e-3),
    )

    # above a lower limit while lower is better: b = 15, L = 10, C = 1 - ((20 - 15)/10)^4.44 = 0.953929;
    # P = -((14.5/15)^(1/5) - 1) = 0.0067574; 0.5 % C = 0.0047696 <= P < 1.5 % C: acceleration needed;
    # score 2.5 * (0.0067574 - 0.0047696) / 0.0095393 = 0.5209 (0.4393 without C)
    r = results["1-1-4"]
    assert (r["status"], r["score"]) == ("acceleration_needed", pytest.approx(0.5209, abs=1e-3))


# --- 2. the headline per unit --------------------------------------------------------------


UNITS_WITH_TOTAL = """\
Year,Units,Sex,Value
2015,Rate,,10
2020,Rate,,8
2015,Rate,Female,12
2020,Rate,Female,14
2015,Rate,Male,8
2020,Rate,Male,4
"""
UNITS_WITHOUT_TOTAL = "\n".join(line for line in UNITS_WITH_TOTAL.splitlines() if ",," not in line) + "\n"


def test_units_column_with_and_without_a_blank_total(db: str, tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "2-1-1": _meta("2.1.1", "progress_calculation_options:\n  direction: negative\n"),  # one block, not a list
            "2-1-2": _meta("2.1.2", "progress_calculation_options:\n  - unit: Rate\n    direction: negative\n"),
        },
        {"2-1-1": UNITS_WITH_TOTAL, "2-1-2": UNITS_WITHOUT_TOTAL},
    )
    results, _err = _progress(db, repo)

    # with a total: the headline is Units = Rate with Sex blank; P = -((8/10)^(1/5) - 1) = 0.043648
    # >= 2 %: on track, +5. (Averaging all three series, as before, gave (5 - 5 + 5) / 3 = 1.67.)
    r = results["2-1-1"]
    assert (r["status"], r["score"], r["aggregated"]) == ("on_track", 5.0, False)
    assert r["headline_series"] == {"units": "rate"} and r["reason"] is None

    # without a total: no headline for Rate, said in the result, and the documented aggregation:
    # Female P = -((14/12)^(1/5) - 1) = -0.03131 <= -2 %: -5; Male P = -((4/8)^(1/5) - 1) = 0.12945: +5;
    # mean 0: acceleration needed
    r = results["2-1-2"]
    assert (r["status"], r["score"], r["aggregated"]) == ("acceleration_needed", 0.0, True)
    assert r["reason"] == "no_headline" and r["missing_series"] == [{"units": "rate"}]
    assert "no headline" in r["explanation"]["en"] and "Units: Rate" in r["explanation"]["en"]


def test_two_units_with_a_target_on_one(db: str, tmp_path: Path) -> None:
    options = """\
        progress_calculation_options:
          - unit: Percentage (%)
            direction: positive
            target: "80"
            target_year: 2030
          - unit: Number
            direction: negative
        """
    data = "Year,Units,Value\n2015,Percentage (%),40\n2020,Percentage (%),50\n2015,Number,1000\n2020,Number,900\n"
    repo = make_repo(tmp_path / "r", {"3-1-1": _meta("3.1.1", options)}, {"3-1-1": data})
    results, err = _progress(db, repo)
    assert "progress_calculation_options" not in err  # every key read, nothing reported
    r = results["3-1-1"]
    by_unit = {s["series"]["units"]: s for s in r["series"]}
    # Percentage: R = ((50/40)^(1/5) - 1) / |(80/40)^(1/15) - 1| = 0.0456396 / 0.0472941 = 0.965015:
    # on track; score (0.965015 - 0.60) / 0.14 = 2.6073
    pct = by_unit["percentage-percent"]
    assert (pct["target"], pct["direction"], pct["status"]) == (80.0, 1, "on_track")
    assert pct["score"] == pytest.approx(2.6073, abs=1e-3)
    # Number, lower is better, no target: P = -((900/1000)^(1/5) - 1) = 0.020852 >= 2 %: +5
    num = by_unit["number"]
    assert (num["target"], num["direction"], num["status"], num["score"]) == (None, -1, "on_track", 5.0)
    # the indicator: mean of the two blocks (2.6073 + 5) / 2 = 3.8036, on track
    assert (r["status"], r["score"]) == ("on_track", pytest.approx(3.8036, abs=1e-3))


# --- 3. blocks that select series by disaggregation ----------------------------------------


def test_blocks_select_series_with_opposite_directions(db: str, tmp_path: Path) -> None:
    options = """\
        progress_calculation_options:
          - disaggregation:
              - field: Indicator
                value: Ratio of non-performing loans
            direction: negative
          - disaggregation:
              - field: Indicator
                value: Ratio of regulatory capital
            direction: positive
        """
    data = (
        "Year,Indicator,Value\n"
        "2015,Ratio of non-performing loans,5\n2020,Ratio of non-performing loans,4\n"
        "2015,Ratio of regulatory capital,10\n2020,Ratio of regulatory capital,10.3\n"
        "2015,Other ratio,1\n2020,Other ratio,100\n"
    )
    repo = make_repo(tmp_path / "r", {"4-1-1": _meta("4.1.1", options)}, {"4-1-1": data})
    results, _err = _progress(db, repo)
    r = results["4-1-1"]
    by = {s["series"].get("indicator"): s for s in r["series"]}
    # loans, lower is better: P = -((4/5)^(1/5) - 1) = 0.043648: +5
    assert (by["ratio-of-non-performing-loans"]["direction"], by["ratio-of-non-performing-loans"]["score"]) == (-1, 5.0)
    # capital, higher is better: P = (10.3/10)^(1/5) - 1 = 0.0059293: acceleration needed,
    # score 2.5 * (0.0059293 - 0.005) / 0.01 = 0.2323
    cap = by["ratio-of-regulatory-capital"]
    assert (cap["direction"], cap["status"]) == (1, "acceleration_needed")
    assert cap["score"] == pytest.approx(0.2323, abs=1e-3)
    # the series no block names is not assessed at all
    assert (by["other-ratio"]["status"], by["other-ratio"]["score"]) == ("not_assessed", None)
    assert "not one of them" in by["other-ratio"]["explanation"]["en"]
    # indicator: (5 + 0.2323) / 2 = 2.6162, on track (one direction for all gave limited progress)
    assert (r["status"], r["score"]) == ("on_track", pytest.approx(2.6162, abs=1e-3))


def test_unknown_keys_are_reported_with_file_line_and_key(db: str, tmp_path: Path) -> None:
    options = """\
        progress_calculation_options:
          - direction: positive
            colour: red
            progress_thresholds:
              high: 0.02
        """
    repo = make_repo(tmp_path / "r", {"5-1-1": _meta("5.1.1", options)}, {"5-1-1": "Year,Value\n2015,1\n2020,2\n"})
    code, _out, err = veikart("--db", db, "import-opensdg", str(repo))
    assert code == 0
    # the front matter starts on line 2 of the file: the block's keys are on lines 7, 8 and 9
    assert "meta/5-1-1.md:8: progress_calculation_options[0].colour: unknown key 'colour'" in err
    assert "meta/5-1-1.md:9: progress_calculation_options[0].progress_thresholds: progress_thresholds is not applied" in err


# --- 4. fiscal years and ranges ------------------------------------------------------------


def test_fiscal_years_ranges_and_calendar_years_in_one_series(db: str, tmp_path: Path) -> None:
    data = textwrap.dedent(
        """\
        Year,Value
        2010-2014,45
        2015,50
        2015/16,51
        2018,55
        2018/19,51.5
        2015/2016,99
        """
    )
    options = "progress_calculation_options:\n  - direction: positive\n    base_year: 2015\n"
    repo = make_repo(tmp_path / "r", {"6-1-1": _meta("6.1.1", options)}, {"6-1-1": data})
    results, err = _progress(db, repo)
    # the only row dropped is the real duplicate, reported at its line naming the line kept
    assert "data/indicator_6-1-1.csv:7:1: Year: duplicate: this series already has period 2015/16 on line 4" in err
    assert "rows: 5 imported of 6 read" in err
    (s,) = results["6-1-1"]["series"]
    assert s["observations"] == 5
    # times: 2010-2014 -> 2012.5, 2015 -> 2015.5, 2015/16 -> 2016.0, 2018 -> 2018.5, 2018/19 -> 2019.0;
    # base: the first at or after 2015 is 2015 (50); current: 2018/19 (51.5), 3.5 years later.
    assert (s["base_year"], s["base_value"], s["current_year"], s["current_value"]) == (2015.5, 50, 2019.0, 51.5)
    assert s["current_period"] == "2018/19"
    # P = (51.5/50)^(1/3.5) - 1 = 0.0084811: acceleration needed; score 2.5 * (P - 0.005) / 0.01 = 0.8703
    assert (s["status"], s["score"]) == ("acceleration_needed", pytest.approx(0.8703, abs=1e-3))


# --- export writes the same options back ---------------------------------------------------


def test_export_then_import_gives_the_same_statuses(db: str, tmp_path: Path) -> None:
    options = """\
        progress_calculation_options:
          - unit: Percentage (%)
            direction: positive
            target: 80
          - unit: Number
            direction: negative
            limit: 100
        """
    data = "Year,Units,Sex,Value\n2015,Percentage (%),,40\n2020,Percentage (%),,50\n2015,Number,,1000\n2020,Number,,900\n"
    data += "2015,Number,Female,400\n2020,Number,Female,500\n2012/13,Number,,950\n"
    repo = make_repo(tmp_path / "r", {"3-1-1": _meta("3.1.1", options)}, {"3-1-1": data})
    first, _err = _progress(db, repo)
    code, _out, err = veikart("--db", db, "export-opensdg", str(tmp_path / "out"), "--framework", "t")
    assert code == 0, err
    url2 = f"sqlite:///{tmp_path / 'second.db'}"
    with Store(url2) as store:
        store.migrate()
    second, _err2 = _progress(url2, tmp_path / "out")
    keys = ("status", "score", "aggregated", "headline_series", "reason")
    assert {k: first["3-1-1"][k] for k in keys} == {k: second["3-1-1"][k] for k in keys}
    assert [(s["series"], s["status"], s["score"]) for s in first["3-1-1"]["series"]] == [
        (s["series"], s["status"], s["score"]) for s in second["3-1-1"]["series"]
    ]


def test_options_in_indicator_config_are_read_and_placed_there(tmp_path: Path) -> None:
    from veikart.core.model import AssessedSeries, Direction
    from veikart.opensdg import import_opensdg

    repo = make_repo(
        tmp_path / "r",
        {"7-1-1": _meta("7.1.1", "progress_calculation_options:\n  - direction: positive\n")},
        {"7-1-1": "Year,Units,Value\n2015,A,1\n2020,A,2\n2015,B,3\n2020,B,4\n"},
    )
    (repo / "indicator-config").mkdir()
    (repo / "indicator-config" / "7-1-1.yml").write_text(
        "progress_calculation_options:\n  - unit: B\n    direction: negative\n    base_year: '2016'\n    shade: 3\n",
        encoding="utf-8",
    )
    data, report = import_opensdg(repo)
    # indicator-config overrides meta/: its one block is the indicator's settings, strings for numbers
    ind = data.indicators["7-1-1"]
    assert ind.assessed_series == [
        AssessedSeries(scope={"units": "b"}, direction=Direction.LOWER_IS_BETTER, base_year=2016)
    ]
    (p,) = report.problems
    assert (p.file, p.line, p.field) == ("indicator-config/7-1-1.yml", 5, "progress_calculation_options[0].shade")
