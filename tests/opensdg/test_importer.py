"""The Open SDG importer: each rule on a small hand-made repository, then the real UK corpus."""

from __future__ import annotations

import os
import re
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest

from veikart.core.model import AmbitionState, AssessedSeries, Direction, Frequency, Unit
from veikart.opensdg import REPOSITORY_SOURCE_ID, import_opensdg
from veikart.opensdg.periods import dash_means_month, parse_period
from veikart.opensdg.text import assign_codes, clean_text, is_translation_key, map_unit, slugify
from veikart.package.reader import check_package, read_package
from veikart.package.writer import write_package
from veikart.store.store import Store

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "opensdg-uk"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
#: Files SOURCE.md says are absent from the corpus copy: their metadata must be "no data".
ABSENT = ("archived-4-2-1", "3-4-1", "3-5-1", "3-9-3", "4-1-1")


def _meta(fields: str, body: str = "") -> str:
    return "---\n" + textwrap.dedent(fields).strip() + "\n---\n" + body


def make_repo(
    root: Path,
    metas: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    config: str | None = None,
) -> Path:
    (root / "meta").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(parents=True, exist_ok=True)
    for ind_id, text in (metas or {}).items():
        (root / "meta" / f"{ind_id}.md").write_text(text, encoding="utf-8")
    for name, text in (data or {}).items():
        file = name if name.endswith(".csv") else f"indicator_{name}.csv"
        (root / "data" / file).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    if config is not None:
        (root / "config_data.yml").write_text(config, encoding="utf-8")
    return root


BASIC_META = _meta(
    """
    indicator_name: global_indicators.1-1-1-title
    target_name: global_targets.1-1-title
    indicator_number: 1.1.1
    indicator_available: Share of people below the poverty line
    national_indicator_description: The <b>share</b> of people living on less than $2.15 a day.
    computation_units: Percentage (%)
    reporting_status: complete
    data_non_statistical: false
    graph_type: line
    graph_title: Poverty
    data_footnote: <p>First note.</p> <p>Second note.</p>
    goal_meta_link: https://unstats.un.org/sdgs/metadata/?Goal=1
    source_active_1: true
    source_organisation_1: World Bank
    source_periodicity_1: Annual
    source_url_1: https://data.worldbank.org/x
    source_url_text_1: Poverty headcount ratio
    source_active_2: false
    source_organisation_2: Hidden source
    """
)


def _problems(report, file: str | None = None, text: str = "") -> list:
    return [p for p in report.problems if (file is None or p.file == file) and text in p.message]


# --- metadata --------------------------------------------------------------------------------


def test_metadata_becomes_goal_target_and_indicator(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "my-sdg-data",
        {"1-1-1": BASIC_META},
        {"1-1-1": "Year,Value\n2015,10\n2016,9.5\n"},
        config="languages:\n  - en\ndocs_branding: Example SDG data\ndocs_indicator_url: https://sdg.example.org/[id]\n",
    )
    data, report = import_opensdg(repo)
    fw = data.framework
    assert fw.id == "my-sdg-data"
    assert fw.title == "Sustainable Development Goals"
    assert fw.owner == "Example SDG data"
    assert (fw.base_year, fw.horizon_year) == (2015, 2030)
    assert fw.languages == ["en"]
    assert fw.url == "https://sdg.example.org/"
    assert [g.id for g in fw.goals] == [str(i) for i in range(1, 18)]
    assert fw.goal("1").title == "No poverty" and fw.goal("17").title == "Partnerships for the goals"
    assert [(s.code, s.title) for s in fw.goal("1").subgoals] == [("1.1", "Target 1.1")]

    ind = data.indicators["1-1-1"]
    assert ind.title == "Share of people below the poverty line"  # indicator_name is a translation key
    assert ind.goal == "1" and ind.subgoals == ["1.1"]
    assert ind.definition == "The **share** of people living on less than $2.15 a day."
    assert ind.unit is Unit.PERCENT and ind.unit_label == "Percentage (%)"
    assert [(s.id, s.organisation, s.name, s.url) for s in ind.sources] == [
        ("source-1", "World Bank", "Poverty headcount ratio", "https://data.worldbank.org/x")
    ]
    assert ind.update_frequency is Frequency.ANNUAL
    assert ind.footnotes == ["First note.", "Second note."]
    assert ind.links == ["https://unstats.un.org/sdgs/metadata/?Goal=1"]
    assert ind.status_note is None
    assert ind.direction is Direction.NONE  # no progress settings: no direction is invented
    assert report.graph["1-1-1"] == {"graph_type": "line", "graph_title": "Poverty"}
    assert report.reporting_status == {"1-1-1": "complete"}

    table = data.observations["1-1-1"]
    assert table.periods == ["2015", "2016"] and table.values == [10.0, 9.5]
    assert set(table.provenance) == {"published"} and set(table.source) == {"source-1"}
    assert report.problems == []
    assert report.counts_add_up()


def test_title_and_definition_fallbacks_and_status_note(tmp_path: Path) -> None:
    meta = _meta(
        """
        indicator_name: global_indicators.2-a-1-title
        target_name: 2.a Increase investment in rural infrastructure
        indicator_number: 2.a.1
        reporting_status: notstarted
        data_non_statistical: true
        """
    )
    data, report = import_opensdg(make_repo(tmp_path / "r", {"2-a-1": meta}, {"2-a-1": "Year,Value\n"}))
    ind = data.indicators["2-a-1"]
    assert ind.title == "Indicator 2.a.1"
    assert ind.definition == ind.title
    assert ind.subgoals == ["2.a"]
    assert data.framework.goal("2").subgoals[0].title == "Increase investment in rural infrastructure"
    assert ind.status_note == "Exploring data sources; Non-statistical indicator"
    # no source in the metadata: the repository itself is the source
    assert [s.id for s in ind.sources] == [REPOSITORY_SOURCE_ID]
    assert report.without_data == ["2-a-1"]


def test_metadata_without_front_matter_or_with_bad_yaml_is_reported(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"1-2-1": "indicator_number: 1.2.1\n", "1-3-1": "---\nindicator_number: [1.3.1\n---\n"},
        {"1-2-1": "Year,Value\n2020,1\n", "1-3-1": "Year,Value\n2020,1\n"},
    )
    data, report = import_opensdg(repo)
    assert set(data.indicators) == {"1-2-1", "1-3-1"}  # imported all the same, from the file names
    assert _problems(report, "meta/1-2-1.md", "no YAML front matter")
    (bad,) = _problems(report, "meta/1-3-1.md", "YAML syntax error")
    assert bad.line is not None and bad.line >= 2


# --- data ------------------------------------------------------------------------------------


def test_disaggregations_with_blank_totals(tmp_path: Path) -> None:
    csv_text = """\
        Year,Sex,Age group,Value
        2015,,,50
        2015,Female,,51
        2015,Male,,49
        2015,,<16,20
        2015,,16 to 24,30
        2015,Female,16 to 24,31
        2016,,,52
        """
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    ind = data.indicators["1-1-1"]
    assert [d.id for d in ind.dimensions] == ["sex", "age-group"]
    assert ind.dimensions[1].title == "Age group"
    assert [(v.code, v.label) for v in ind.dimensions[0].values] == [("female", "Female"), ("male", "Male")]
    assert [(v.code, v.label) for v in ind.dimensions[1].values] == [
        ("lt-16", "<16"),
        ("16-to-24", "16 to 24"),
    ]
    table = data.observations["1-1-1"]
    assert table.dimensions == ("sex", "age-group")
    assert table.keys == [
        ("", ""),
        ("female", ""),
        ("male", ""),
        ("", "lt-16"),
        ("", "16-to-24"),
        ("female", "16-to-24"),
        ("", ""),
    ]
    assert report.rows_read == report.rows_imported == 7


def test_units_and_series_split_series(tmp_path: Path) -> None:
    csv_text = """\
        Year,Series,Units,Value
        2015,Deaths,Number,120
        2015,Deaths,Rate per 100,000 population,2.5
        2016,Deaths,Number,110
        2016,Deaths,"Rate per 100,000 population",2.3
        """
    # the unquoted comma in line 3 is a row with too many fields: reported, not imported
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    ind = data.indicators["1-1-1"]
    assert [(d.id, d.title) for d in ind.dimensions] == [("series", "Series"), ("units", "Units")]
    assert ind.unit is Unit.NUMBER  # two units that map differently
    assert ind.unit_label == "Number; Rate per 100,000 population"
    (bad,) = _problems(report, "data/indicator_1-1-1.csv", "fields")
    assert bad.line == 3
    assert report.rows_skipped["bad_row"] == 1
    assert data.observations["1-1-1"].keys == [
        ("deaths", "number"),
        ("deaths", "number"),
        ("deaths", "rate-per-100-000-population"),
    ]


def test_percent_only_when_every_value_is_within_0_to_100(tmp_path: Path) -> None:
    ok = "Year,Units,Value\n2015,Percentage (%),99.5\n"
    over = "Year,Units,Value\n2015,Percentage (%),-3\n2016,Percentage (%),2\n"
    meta2 = BASIC_META.replace("1.1.1", "1.2.1")
    data, report = import_opensdg(
        make_repo(tmp_path / "r", {"1-1-1": BASIC_META, "1-2-1": meta2}, {"1-1-1": ok, "1-2-1": over})
    )
    assert data.indicators["1-1-1"].unit is Unit.PERCENT
    assert data.indicators["1-2-1"].unit is Unit.NUMBER
    assert data.indicators["1-2-1"].unit_label == "Percentage (%)"
    assert report.unit_fallbacks == {"1-2-1": "percent"}


def test_unit_multiplier_and_observation_status(tmp_path: Path) -> None:
    csv_text = """\
        Year,Observation status,Unit multiplier,Units,GeoCode,Value
        2015,Normal value,Thousands,Number,K02000001,12
        2016,Provisional value,Thousands,Number,K02000001,13
        2017,Time series break,Thousands,Number,K02000001,14
        2018,Estimated value,Thousands,Number,K02000001,15
        """
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    ind = data.indicators["1-1-1"]
    assert [d.id for d in ind.dimensions] == [
        "units"
    ]  # constant multiplier, status and GeoCode are not dimensions
    assert ind.unit is Unit.COUNT and ind.unit_label == "Number (Thousands)"
    table = data.observations["1-1-1"]
    assert table.flags == ["", "provisional", "break", ""]
    assert table.note == ["", "Provisional value", "Time series break", "Estimated value"]
    assert report.columns_dropped["GeoCode"] == 1


def test_year_ranges_quarters_months_and_annotations(tmp_path: Path) -> None:
    csv_text = """\
        Year,Series,Value
        2019/20,A,1
        2020/21 [Note 5],A,2
        2001-2005 (baseline),B,3
        2015 to 2017,C,4
        2020 Q1,D,5
        1993 01,E,6
        17 May to 11 June 2023,F,7
        2021.0,G,8
        1974a,H,9
        """
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    table = data.observations["1-1-1"]
    # fiscal years and ranges are periods of their own, never collapsed onto a calendar year
    assert table.periods == [
        "2019/20",
        "2020/21",
        "2001-2005",
        "2015-2017",
        "2020-Q1",
        "1993-01",
        "2023-05-17",
        "2021",
        "1974",
    ]
    # the note keeps the published text only where the period does not say all of it
    assert table.note[:4] == [
        "",
        "Year: 2020/21 [Note 5]",
        "Year: 2001-2005 (baseline)",
        "Year: 2015 to 2017",
    ]
    assert table.note[4:8] == ["", "", "Year: 17 May to 11 June 2023", ""]
    assert report.period_kinds == {
        "fiscal_year": 2,
        "year_range": 2,
        "year": 2,
        "quarter": 1,
        "month": 1,
        "date_range": 1,
    }
    assert report.periods_rewritten == 5


def test_parse_period_rules() -> None:
    assert parse_period("2021").period == "2021"
    assert parse_period("2021-22").period == "2021/22" and parse_period("2021-22").kind == "fiscal_year"
    assert parse_period("2021/22").period == "2021/22" and not parse_period("2021/22").keep_text
    assert parse_period("1985-87").period == "1985-1987" and parse_period("1985-87").kind == "year_range"
    assert parse_period("2015/2016").period == "2015/16"
    assert parse_period("2015-2016").period == "2015-2016"  # four digits after a dash: two calendar years
    assert parse_period("2010-2015").period == "2010-2015" and not parse_period("2010-2015").keep_text
    assert parse_period("2015/16 to 2017/18").period == "2015/16-2017/18"
    assert parse_period("2015/16 to 2017/18").kind == "fiscal_year_range"
    assert parse_period("2015 to 2015").period == "2015"
    assert parse_period("Q3 2020").period == "2020-Q3"
    assert parse_period("March 2020").period == "2020-03"
    assert parse_period("2020-03-15").period == "2020-03-15"
    assert parse_period("2019-03", months_for_dash=True).period == "2019-03"
    assert parse_period("2020/19").period is None  # a range cannot end before it starts
    assert parse_period("There is no data for this indicator yet").period is None
    # YYYY-NN: months only where a file's texts cannot all be ranges
    assert dash_means_month({"2019-01", "2019-02", "2019-12"})
    assert not dash_means_month({"2011-12", "2012-13"})
    assert not dash_means_month({"2011-12"})
    assert not dash_means_month({"2003-05", "1985-87"})


def test_duplicate_years_are_reported_with_the_line_of_the_first(tmp_path: Path) -> None:
    csv_text = """\
        Year,Sex,Value
        2015,Female,1
        2016,Female,2
        2015,Female,3
        2015,Male,4
        2016/17,Female,5
        2016/2017,Female,6
        """
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    table = data.observations["1-1-1"]
    # the first of each series and period is kept; 2016/17 is a period of its own beside 2016
    assert table.values == [1.0, 2.0, 4.0, 5.0]
    assert table.periods == ["2015", "2016", "2015", "2016/17"]
    dups = _problems(report, "data/indicator_1-1-1.csv", "duplicate")
    # each duplicate is reported at its own line and names the line of the row that was kept
    assert [(p.line, p.column, p.field) for p in dups] == [(4, 1, "Year"), (7, 1, "Year")]
    assert "on line 2" in dups[0].message and "period 2016/17 on line 6" in dups[1].message
    assert "'2016/2017' reads as 2016/17" in dups[1].hint
    assert report.rows_skipped["duplicate"] == 2


def test_unparsable_values_and_periods_and_blank_values(tmp_path: Path) -> None:
    csv_text = """\
        Year,Value
        2015,12.5
        2016,n/a
        2017,
        sometime,4
        2019,1_000
        2020, 7
        There is no data for this indicator yet,
        """
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    assert data.observations["1-1-1"].periods == ["2015", "2020"]
    problems = _problems(report, "data/indicator_1-1-1.csv")
    assert [(p.line, p.column, p.field) for p in problems] == [
        (3, 2, "Value"),
        (5, 1, "Year"),
        (6, 2, "Value"),
    ]
    assert "'n/a' is not a number" in problems[0].message
    assert report.rows_read == 7
    assert report.rows_skipped == {"bad_value": 2, "bad_period": 1, "blank_value": 2}
    assert report.rows_imported == 2
    assert report.counts_add_up()


def test_whitespace_around_labels_is_the_same_label(tmp_path: Path) -> None:
    csv_text = 'Year,Sex,Value\n2015,Female,1\n2015," Female ",2\n2016," Female",3\n'
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    table = data.observations["1-1-1"]
    assert table.keys == [("female",), ("female",)] and table.values == [1.0, 3.0]
    assert [p.line for p in _problems(report, "data/indicator_1-1-1.csv", "duplicate")] == [3]


def test_missing_data_file_is_no_data_and_data_without_metadata(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "1-1-1": BASIC_META,
            "archived-1-b-1": _meta("indicator_number: 1.b.1\nreporting_status: notstarted"),
        },
        {"3-2-1": "Year,Value\n2015,4\n"},
    )
    (repo / "meta" / "6.b.1.xlsx").write_bytes(b"PK\x03\x04")
    data, report = import_opensdg(repo)
    assert set(data.indicators) == {"1-1-1", "archived-1-b-1", "3-2-1"}
    assert report.no_data == ["1-1-1", "archived-1-b-1"]
    for ind_id in report.no_data:
        (p,) = _problems(report, f"meta/{ind_id}.md", "no data")
        assert f"data/{ind_id}.csv" in p.message
    assert report.data_without_metadata == ["3-2-1"]
    assert _problems(report, "data/indicator_3-2-1.csv", "no metadata")
    assert data.indicators["3-2-1"].title == "Indicator 3.2.1" and data.indicators["3-2-1"].goal == "3"
    assert report.ignored_files == ["meta/6.b.1.xlsx"]
    assert sorted(report.with_data) == ["3-2-1"] and sorted(report.without_data) == [
        "1-1-1",
        "archived-1-b-1",
    ]
    assert report.counts_add_up()


def test_problems_are_capped_per_file_but_counted(tmp_path: Path) -> None:
    csv_text = "Year,Value\n" + "".join(f"{1800 + i},x\n" for i in range(150))
    _data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    listed = _problems(report, "data/indicator_1-1-1.csv")
    assert len(listed) == 101
    assert listed[-1].message == "50 more problem(s) in this file are not listed"
    assert listed[-1].hidden == 50 and report.problem_count == 150
    assert report.rows_skipped["bad_value"] == 150


def test_indicator_config_and_sources_list(tmp_path: Path) -> None:
    meta = _meta(
        """
        indicator_number: 5.5.1
        indicator_available: Women in parliament
        sources:
          - organisation: House of Commons Library
            periodicity: Discontinuous
            url: https://commonslibrary.parliament.uk/x
            url_text: Women in Parliament and Government
        """
    )
    repo = make_repo(tmp_path / "r", {"5-5-1": meta}, {"5-5-1": "Year,Value\n2019,34\n"})
    (repo / "indicator-config").mkdir()
    (repo / "indicator-config" / "5-5-1.yml").write_text(
        "indicator_available: Seats held by women\nauto_progress_calculation: true\n", encoding="utf-8"
    )
    data, report = import_opensdg(repo)
    ind = data.indicators["5-5-1"]
    assert ind.title == "Seats held by women"
    assert [(s.id, s.organisation, s.name) for s in ind.sources] == [
        ("source-1", "House of Commons Library", "Women in Parliament and Government")
    ]
    assert ind.update_frequency is None  # Discontinuous
    assert report.progress_requested == {"5-5-1"}
    assert report.meta_files == 2 and report.problems == []


# --- progress settings -----------------------------------------------------------------------


def test_progress_calculation_options_become_direction_base_year_ambition_and_limit(tmp_path: Path) -> None:
    meta = BASIC_META.replace(
        "source_active_1: true",
        textwrap.dedent(
            """\
            auto_progress_calculation: true
            progress_calculation_options:
              - series: Proportion of population
                disaggregation:
                  - field: Sex
                    value: Female
                direction: positive
                base_year: 2016
                target: 80
                target_year: 2028
                limit: 100
            source_active_1: true"""
        ),
    )
    csv_text = """\
        Year,Series,Sex,Units,Value
        2016,Proportion of population,,Percentage (%),50
        2016,Proportion of population,Female,Percentage (%),52
        2017,Proportion of population,Female,Percentage (%),55
        """
    data, report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": meta}, {"1-1-1": csv_text}))
    ind = data.indicators["1-1-1"]
    assert ind.direction is Direction.HIGHER_IS_BETTER
    assert ind.base_year == 2016
    # a block that selects a series is that series' settings: only it is assessed, with its limit
    assert ind.natural_limit is None
    assert ind.assessed_series == [
        AssessedSeries(
            scope={"series": "proportion-of-population", "sex": "female"},
            direction=Direction.HIGHER_IS_BETTER,
            base_year=2016,
            limit=100,
        )
    ]
    (amb,) = ind.ambitions
    assert amb.value == 80 and amb.unit is Unit.PERCENT
    assert amb.deadline == date(2028, 12, 31)
    assert amb.scope == {"series": "proportion-of-population", "sex": "female"}
    assert amb.state is AmbitionState.ADOPTED
    assert report.progress_requested == {"1-1-1"}
    assert report.problems == []


def test_progress_requested_without_direction_uses_open_sdg_default(tmp_path: Path) -> None:
    meta = BASIC_META.replace("graph_type: line", "graph_type: line\nauto_progress_calculation: true")
    data, report = import_opensdg(
        make_repo(tmp_path / "r", {"1-1-1": meta}, {"1-1-1": "Year,Value\n2015,3\n"})
    )
    ind = data.indicators["1-1-1"]
    assert ind.direction is Direction.LOWER_IS_BETTER  # Open SDG's default direction is "negative"
    assert ind.ambitions == [] and ind.base_year is None
    assert report.progress_requested == {"1-1-1"}


def test_progress_options_that_do_not_fit_the_data_are_reported(tmp_path: Path) -> None:
    meta = BASIC_META.replace(
        "graph_type: line",
        textwrap.dedent(
            """\
            graph_type: line
            auto_progress_calculation: false
            progress_status: target_achieved
            progress_calculation_options:
              - series: No such series
                direction: negative
                target: 5
              - direction: negative
                target: 150
              - direction: negative
                limit: 20
              - direction: negative
                target: 2
                target_year: 2035"""
        ),
    )
    data, report = import_opensdg(
        make_repo(tmp_path / "r", {"1-1-1": meta}, {"1-1-1": "Year,Value\n2015,10\n2016,8\n"})
    )
    ind = data.indicators["1-1-1"]
    assert ind.direction is Direction.LOWER_IS_BETTER
    assert ind.natural_limit is None  # several blocks: each is a series' settings
    (amb,) = ind.ambitions
    assert (amb.value, amb.deadline, amb.scope) == (2, date(2035, 12, 31), {})
    assert data.framework.horizon_year == 2035  # the horizon reaches the latest target year
    # the block naming a series the data lack is left out; the others are kept, the floor of 20
    # too (it is the C factor's limit, not a bound on the values)
    assert [(a.scope, a.limit) for a in ind.assessed_series] == [({}, None), ({}, 20), ({}, None)]
    problems = sorted(_problems(report, "meta/1-1-1.md"), key=lambda p: p.field)
    assert [p.field for p in problems] == [
        "progress_calculation_options[0].series",
        "progress_calculation_options[1].target",
    ]
    # each at its own line: the file's lines 1-based, the front matter after the first ---
    lines = (tmp_path / "r" / "meta" / "1-1-1.md").read_text(encoding="utf-8").splitlines()
    assert lines[problems[1].line - 1].strip() == "target: 150"
    assert lines[problems[0].line - 1].strip() == "- series: No such series"
    assert report.progress_requested == set() and report.progress_status == {"1-1-1": "target_achieved"}


def test_default_direction_can_be_chosen(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": "Year,Value\n2015,3\n"})
    data, _report = import_opensdg(repo, "my-id", owner="Someone", default_direction="higher_is_better")
    assert data.indicators["1-1-1"].direction is Direction.HIGHER_IS_BETTER
    assert data.framework.id == "my-id" and data.framework.owner == "Someone"


# --- helpers ---------------------------------------------------------------------------------


def test_codes_are_unique_short_and_independent_of_order() -> None:
    labels = ["A b", "A-b", "a B", "x" * 60, "x" * 59 + "y", "%", "£"]
    codes = assign_codes(labels, 40)
    assert codes == assign_codes(list(reversed(labels)), 40)
    assert len(set(codes.values())) == len(labels)
    assert all(len(c) <= 40 for c in codes.values())
    assert codes["A b"] == "a-b" and codes["A-b"] == "a-b-2" and codes["a B"] == "a-b-3"
    assert codes["%"] == "percent" and codes["£"] == "gbp"
    assert assign_codes(["Source"], 80, reserved=("source",)) == {"Source": "source-2"}
    assert (
        slugify("Ethnicity of household reference person (HRP)")
        == "ethnicity-of-household-reference-person-hrp"
    )


def test_unit_mapping() -> None:
    assert map_unit("Percentage (%)") is Unit.PERCENT
    assert map_unit("% change from baseline") is Unit.NUMBER
    assert map_unit("Rate per 100,000 population") is Unit.PER_100000
    assert map_unit("Rate per 1,000 live births") is Unit.PER_1000
    assert map_unit("Rate per 10,000 population") is Unit.NUMBER
    assert map_unit("Number") is Unit.COUNT
    assert map_unit("Number of offences") is Unit.COUNT
    assert map_unit("Index") is Unit.INDEX
    assert map_unit("GBP (£ thousands)") is Unit.NUMBER
    assert map_unit("Million tonnes, Tonnes per capita") is Unit.NUMBER


def test_text_helpers() -> None:
    assert is_translation_key("global_indicators.1-1-1-title")
    assert not is_translation_key("Proportion of population, e.g. adults")
    assert clean_text('<p>See <a href="https://x.org/a">the source</a>.</p><p>More &amp; more</p>') == (
        "See [the source](https://x.org/a).\n\nMore & more"
    )


def test_small_repository_passes_the_package_rules(tmp_path: Path) -> None:
    csv_text = (
        "Year,Sex,Units,Value\n2015,,Percentage (%),10\n2015,Female,Percentage (%),11\n"
        "2016/17,,Percentage (%),12\n"
    )
    data, _report = import_opensdg(make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": csv_text}))
    write_package(data, tmp_path / "pkg")
    back = read_package(tmp_path / "pkg")
    assert back.observation_count() == 3
    assert back.indicators["1-1-1"] == data.indicators["1-1-1"]


def test_sdg_goal_names_the_goal_and_no_target_is_invented(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {
            "pjd-2024-x": _meta("sdg_goal: '2'\nindicator_available: Not an SDG number"),
            "velferd": _meta("sdg_goal: '3'\ntarget_id: 3B\nindicator_available: Own target"),
        },
    )
    data, report = import_opensdg(repo)
    a, b = data.indicators["pjd-2024-x"], data.indicators["velferd"]
    assert (a.goal, a.subgoals) == ("2", [])  # not goal 2024, not a target made of the id
    assert (b.goal, b.subgoals) == ("3", ["3B"])
    assert report.counts_add_up()


def test_goal_and_target_titles_from_translations(tmp_path: Path) -> None:
    repo = make_repo(
        tmp_path / "r",
        {"1-1-1": BASIC_META},
        config="languages:\n  - nb\n  - en\n",
    )
    for lang, goals, targets in (
        ("nb", "1-title: Bedre helse for alle\n1-short: Bedre helse\n2-short: Kortere ventetid\n", "1-1-title: Flere friske år\n2A-title: Kortere køer\n"),
        ("en", "1-short: Better health\n", "1-1-title: More healthy years\n"),
    ):
        folder = repo / "translations" / lang
        folder.mkdir(parents=True)
        (folder / "global_goals.yml").write_text(goals, encoding="utf-8")
        (folder / "global_targets.yml").write_text(targets, encoding="utf-8")
    (repo / "meta" / "en").mkdir()
    (repo / "meta" / "en" / "1-1-1.md").write_text(_meta("indicator_available: Poverty in English"), encoding="utf-8")
    data, _report = import_opensdg(repo)
    fw = data.framework
    assert [(g.id, g.title, g.description) for g in fw.goals] == [
        ("1", "Bedre helse", "Bedre helse for alle"),
        ("2", "Kortere ventetid", None),
    ]  # the goals translations/ names, not the 17 SDGs
    assert fw.goals[0].translations == {"en": {"title": "Better health"}}
    assert [(s.code, s.title, s.translations) for g in fw.goals for s in g.subgoals] == [
        ("1.1", "Flere friske år", {"en": {"title": "More healthy years"}}),
        ("2A", "Kortere køer", {}),
    ]
    assert data.indicators["1-1-1"].translations == {"en": {"title": "Poverty in English"}}


def test_norwegian_unit_texts_and_letters() -> None:
    assert map_unit("andel av kommunene") is Unit.PERCENT
    assert map_unit("prosentpoeng endring") is Unit.NUMBER
    assert map_unit("antall søknader") is Unit.COUNT
    assert map_unit("dager (snitt fire kvartal)") is Unit.DAYS
    assert map_unit("antall per 1000 innbyggere") is Unit.PER_1000
    assert map_unit("ikke fastsatt") is Unit.NUMBER
    assert slugify("Helse Sør-Øst") == "helse-sor-ost" and slugify("Ærlig, Åpen") == "aerlig-apen"


def test_messages_follow_the_language(tmp_path: Path) -> None:
    from veikart.i18n import set_language

    repo = make_repo(tmp_path / "r", {"1-1-1": BASIC_META}, {"1-1-1": "Year,Value\n2015,x\n"})
    set_language("nb")
    _data, report = import_opensdg(repo)
    (p,) = _problems(report, "data/indicator_1-1-1.csv")
    assert p.message == "Value 'x' er ikke et tall"
    assert p.hint.startswith("skriv et tall med '.' som desimaltegn")
    assert "rader: 0 importert av 1 lest" in report.summary_lines()


# --- the real corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus() -> tuple:
    if not CORPUS.is_dir():
        if IN_CI:
            pytest.fail(f"the Open SDG corpus is missing at {CORPUS} (CI=true: it may not be skipped)")
        pytest.skip(f"the Open SDG corpus is missing at {CORPUS}; skipped outside CI")
    started = time.perf_counter()
    data, report = import_opensdg(CORPUS)
    return data, report, time.perf_counter() - started


def test_corpus_every_indicator_is_imported_or_reported(corpus: tuple) -> None:
    data, report, _seconds = corpus
    meta_ids = {p.stem for p in (CORPUS / "meta").iterdir() if p.suffix == ".md"}
    data_ids = {p.stem.removeprefix("indicator_") for p in (CORPUS / "data").glob("*.csv")}
    found = meta_ids | data_ids
    assert report.indicators_found == len(found)
    assert set(data.indicators) | set(report.indicators_skipped) == found
    assert report.counts_add_up()
    assert report.rows_imported == data.observation_count()
    assert report.rows_imported > 150_000
    assert sum(report.period_kinds.values()) == report.rows_imported
    assert set(report.no_data) == meta_ids - data_ids
    assert set(report.data_without_metadata) == data_ids - meta_ids
    assert len(report.with_data) + len(report.without_data) == len(data.indicators)
    assert set(report.with_data) == set(data.observations)
    assert report.summary_lines()


def test_corpus_absent_files_are_reported_as_no_data(corpus: tuple) -> None:
    data, report, _seconds = corpus
    for ind_id in ABSENT:
        assert ind_id in report.no_data
        assert ind_id in data.indicators and ind_id not in data.observations
        assert _problems(report, f"meta/{ind_id}.md", "no data")


def test_corpus_problems_have_places(corpus: tuple) -> None:
    _data, report, _seconds = corpus
    for p in report.problems:
        assert p.file.startswith(("data/", "meta/", "indicator-config/")) or p.file == "config_data.yml"
        if "duplicate" in p.message:
            assert p.line is not None and p.field == "Year"
            # both lines: the problem's own, and the kept row's in the message
            first = re.search(r"on line (\d+)", p.message)
            assert first is not None and int(first[1]) < p.line, p.message
    assert report.rows_skipped["duplicate"] == len(_problems(report, text="duplicate"))
    # fiscal years and ranges are their own periods (none dropped as a duplicate of a calendar year)
    assert report.period_kinds["fiscal_year"] > 40_000 and report.period_kinds["year_range"] > 9_000
    # every row read is imported or counted under a reason, and every skipped row but blank values
    # (Open SDG's missing data) has a problem of its own
    assert report.rows_read == report.rows_imported + sum(report.rows_skipped.values())
    listed = sum(1 for p in report.problems if p.file.startswith("data/") and p.line is not None)
    hidden = sum(p.hidden or 0 for p in report.problems if p.file.startswith("data/"))
    skipped = sum(n for reason, n in report.rows_skipped.items() if reason not in ("blank_value", "indicator_skipped"))
    assert listed + hidden >= skipped


def test_corpus_import_is_fast(corpus: tuple) -> None:
    _data, _report, seconds = corpus
    assert seconds < 15, f"the corpus took {seconds:.1f} s to import (aim: under 4 s)"


def test_corpus_satisfies_every_package_rule_and_stores(corpus: tuple, tmp_path: Path) -> None:
    data, _report, _seconds = corpus
    write_package(data, tmp_path / "pkg")
    back, problems = check_package(tmp_path / "pkg")
    assert problems == [], "\n".join(str(p) for p in problems[:20])
    assert back is not None and back.observation_count() == data.observation_count()

    with Store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        store.migrate()
        summary = store.import_data(data, actor="test")
        assert summary.observations_added == data.observation_count()
        loaded = store.load(data.framework.id)
    assert set(loaded.indicators) == set(data.indicators)
    assert loaded.observation_count() == data.observation_count()


def test_an_alias_bomb_in_metadata_is_refused_with_its_place(tmp_path: Path) -> None:
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    meta = "---\nindicator_number: 1.2.1\n" + "\n".join(levels) + "\n---\n"
    repo = make_repo(tmp_path / "r", {"1-2-1": meta}, {"1-2-1": "Year,Value\n2020,1\n"})
    (repo / "config_data.yml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    _data, report = import_opensdg(repo)
    (bomb,) = _problems(report, "meta/1-2-1.md", "expand to more than")
    assert bomb.line == 8 and "anchors" in (bomb.hint or "")
    (config,) = _problems(report, "config_data.yml", "expand to more than")
    assert config.line == 6


def test_a_key_written_twice_in_metadata_is_reported(tmp_path: Path) -> None:
    meta = "---\nindicator_number: 1.2.1\nindicator_name: First\nindicator_name: Second\n---\n"
    repo = make_repo(tmp_path / "r", {"1-2-1": meta}, {"1-2-1": "Year,Value\n2020,1\n"})
    data, report = import_opensdg(repo)
    (dup,) = _problems(report, "meta/1-2-1.md", "written twice")
    assert dup.line == 4 and "'indicator_name'" in dup.message
    assert data.indicators["1-2-1"].title == "Second"  # as Open SDG reads it: the last one
