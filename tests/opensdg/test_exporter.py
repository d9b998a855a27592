"""The Open SDG exporter: what it writes, that Open SDG's schema accepts it, and that importing
the export gives the framework back (small hand-made repositories, the bundled default, the UK
corpus)."""

from __future__ import annotations

import csv
import io
import textwrap
import time
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.opensdg.test_importer import BASIC_META, CORPUS, IN_CI, _meta, make_repo
from veikart.core.assess import assess_framework
from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import (
    Ambition,
    Dimension,
    DimensionValue,
    Direction,
    Framework,
    Frequency,
    Goal,
    Indicator,
    NaturalLimit,
    Source,
    Subgoal,
    Unit,
)
from veikart.core.progress import OPEN_SDG_STATUS
from veikart.opensdg import NotAnOpenSdgRepository, export_opensdg, import_opensdg, render_opensdg
from veikart.opensdg.exporter import sdg_number
from veikart.package.reader import read_package

DEFAULT = Path(__file__).resolve().parents[2] / "src" / "veikart" / "data" / "default"


# --- helpers ---------------------------------------------------------------------------------


def round_trip(data: FrameworkData, target: Path) -> tuple[FrameworkData, Any]:
    export_opensdg(data, target)
    return import_opensdg(target, data.framework.id)


def assert_same(a: FrameworkData, b: FrameworkData) -> None:
    """Same framework, indicators, dimensions and observations (keys, periods, values, flags,
    notes, sources), row for row."""
    assert b.framework == a.framework
    assert set(b.indicators) == set(a.indicators)
    for ind_id, ind in a.indicators.items():
        assert b.indicators[ind_id] == ind, ind_id
    assert set(b.observations) == set(a.observations)
    for ind_id, t in a.observations.items():
        u = b.observations[ind_id]
        assert u.dimensions == t.dimensions, ind_id
        assert [u.row(i) for i in range(len(u))] == [t.row(i) for i in range(len(t))], ind_id


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and text.endswith("---\n")
    return yaml.safe_load(text[4:-4])


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def open_sdg_schema(prose: Path) -> dict[str, Any]:
    """The JSON Schema sdg-build makes of _prose.yml (SchemaInputOpenSdg): every field a string
    or an integer, checkboxes booleans, selects one of their options; `published` and
    `reporting_status` required; a complete indicator needs data_non_statistical, and a
    published statistical one graph_title and graph_type."""
    config = yaml.safe_load(prose.read_text(encoding="utf-8"))
    props: dict[str, Any] = {}
    for item in config["prose"]["metadata"]["meta"]:
        f = item["field"]
        if f["element"] == "checkbox":
            prop: dict[str, Any] = {"type": "boolean"}
        elif f["element"] in ("select", "multiselect"):
            prop = {
                "type": ["string", "integer"],
                "anyOf": [{"type": "string", "enum": [o["value"]]} for o in f["options"]],
            }
        else:
            prop = {"type": ["string", "integer"]}
        props[item["name"]] = prop
    return {
        "type": "object",
        "properties": props,
        "required": ["published", "reporting_status"],
        "allOf": [
            {
                "if": {"properties": {"reporting_status": {"enum": ["complete"]}}},
                "then": {"required": ["data_non_statistical"]},
            },
            {
                "if": {
                    "properties": {
                        "reporting_status": {"enum": ["complete"]},
                        "published": {"const": True},
                        "data_non_statistical": {"const": False},
                    }
                },
                "then": {"required": ["graph_title", "graph_type"]},
            },
        ],
    }


def assert_open_sdg_accepts(repo: Path) -> None:
    """What sdg-build checks before it builds: the metadata against the schema, every data file
    with Year first and Value last, and for indicators Open SDG calculates progress for, the
    headline it will select (annual, one row per year)."""
    schema = open_sdg_schema(repo / "_prose.yml")
    config = yaml.safe_load((repo / "config_data.yml").read_text(encoding="utf-8"))
    non_disaggregation = set(config["indicator_options"]["non_disaggregation_columns"])
    for meta_file in sorted((repo / "meta").glob("*.md")):
        meta = front_matter(meta_file)
        jsonschema.validate(meta, schema)
        ind_id = meta_file.stem
        number = meta.get("indicator_number")
        if not meta.get("standalone"):
            # Open SDG looks the metadata up by the number with '-' for '.'
            assert number is not None and number.replace(".", "-") == ind_id
        data_file = repo / "data" / f"indicator_{ind_id}.csv"
        if not data_file.exists():
            continue
        rows = read_csv(data_file)
        header = data_file.read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header[0] == "Year" and header[-1] == "Value"
        if meta.get("auto_progress_calculation"):
            disaggregations = [c for c in header if c not in non_disaggregation]
            headline = [r for r in rows if not any(r[c] for c in disaggregations)]
            years = [int(r["Year"][:4]) for r in headline]
            assert years and len(years) == len(set(years)), ind_id
            assert not {"Units", "Series"} & set(header)


# --- a small repository round trip ---------------------------------------------------------


RICH_META = _meta(
    """
    indicator_number: 3.2.1
    indicator_available: Under-5 mortality rate
    national_indicator_description: Deaths <5 years & more, per 1,000 live births.
    target_name: global_targets.3-2-title
    computation_units: Rate per 1,000 live births
    reporting_status: inprogress
    data_non_statistical: true
    periodicity: Annual
    data_footnote: <p>First &amp; foremost.</p><p>Values &lt; 1 are rounded.</p>
    goal_meta_link: https://unstats.un.org/sdgs/metadata/?Goal=3
    source_active_1: false
    source_organisation_1: Hidden
    source_active_2: true
    source_organisation_2: Office for National Statistics
    source_url_text_2: Child mortality
    source_url_2: https://www.ons.gov.uk/x
    source_organisation_3: NISRA
    auto_progress_calculation: true
    progress_calculation_options:
      - series: Under-5 mortality
        unit: Rate per 1,000 live births
        disaggregation:
          - field: Sex
            value: Female
        direction: negative
        base_year: 2016
        target: 25
        target_year: 2030
      - series: Under-5 mortality
        unit: Rate per 1,000 live births
        limit: 0
        direction: negative
        base_year: 2016
    """
)

RICH_DATA = """\
Year,Series,Sex,Age group,Source,Units,Unit multiplier,Observation status,COMMENT_OBS,GeoCode,Value
2015,Under-5 mortality,,,,"Rate per 1,000 live births",Units,Normal value,,K02000001,4.1
2016,Under-5 mortality,,,,"Rate per 1,000 live births",Units,Provisional,,K02000001,4.0
2016/17,Under-5 mortality,Female,<1,Registrations,"Rate per 1,000 live births",Units,Normal value,Revised,K02000001,3.5
2017 Q1,Under-5 mortality,Male,65+,Registrations,"Rate per 1,000 live births",Units,Break in series,,K02000001,3.9
2018-03-15,Under-5 mortality,Male,<1,Survey,"Rate per 1,000 live births",Units,Normal value,"note, with comma",K02000001,3.7
2019 [Note 5],Under-5 mortality,Female,<1,Survey,"Rate per 1,000 live births",Units,Estimated value,,K02000001,3.3
"17 May to 11 June 2023",Under-5 mortality,Male,<1,Survey,"Rate per 1,000 live births",Units,Provisional; break,,K02000001,3.0
2020,Stillbirths,,,, Rate per 1,Units,,,,1e-05
"""


def rich_repo(root: Path) -> Path:
    repo = make_repo(
        root,
        {
            "1-1-1": BASIC_META,
            "3-2-1": RICH_META,
            "archived-1-a-1": _meta("indicator_number: 1.a.1\nindicator_available: Old\nstandalone: true"),
            "4-1-1": _meta(
                "indicator_number: 4.1.1\nindicator_available: No data yet\nreporting_status: notstarted"
            ),
        },
        {
            "1-1-1": "Year,Units,Unit multiplier,Value\n2015,Percentage (%),Thousands,10\n2016,Percentage (%),Thousands,9.5\n",
            "3-2-1": RICH_DATA,
            "archived-1-a-1.csv": "Year,Region,Value\n1993 01,North East,1\n1993 02,North East,2\n1993 02,,3\n",
        },
        config="languages:\n  - en\ndocs_branding: Example SDG data\ndocs_indicator_url: https://sdg.example.org/[id]\n",
    )
    return repo


def test_import_export_import_gives_the_same_framework(tmp_path: Path) -> None:
    first, report = import_opensdg(rich_repo(tmp_path / "example-sdg"))
    assert report.counts_add_up()
    ind = first.indicators["3-2-1"]
    # the repository exercises what the exporter must give back
    assert {d.id for d in ind.dimensions} >= {"series", "sex", "age-group", "source-2", "units"}
    assert ind.direction is Direction.LOWER_IS_BETTER and ind.base_year == 2016
    # two blocks that select series: the status is made of those two, each with its settings
    female = {"series": "under-5-mortality", "units": "rate-per-1-000-live-births", "sex": "female"}
    headline = {"series": "under-5-mortality", "units": "rate-per-1-000-live-births"}
    assert ind.natural_limit is None
    assert [(a.scope, a.direction, a.base_year, a.limit) for a in ind.assessed_series] == [
        (female, Direction.LOWER_IS_BETTER, 2016, None),
        (headline, Direction.LOWER_IS_BETTER, 2016, 0),
    ]
    assert [a.scope for a in ind.ambitions] == [female]
    assert first.indicators["1-1-1"].unit_label == "Percentage (%) (Thousands)"
    assert "2016/17" in first.observations["3-2-1"].periods  # a fiscal year is a period of its own

    # exported into a folder of the same name: the repository source names the folder
    second, report2 = round_trip(first, tmp_path / "out" / "example-sdg")
    assert_same(first, second)
    assert all("no data" in p.message for p in report2.problems)  # 4-1-1 has no data file
    assert_open_sdg_accepts(tmp_path / "out" / "example-sdg")


def test_what_the_data_file_says(tmp_path: Path) -> None:
    first, _report = import_opensdg(rich_repo(tmp_path / "example-sdg"))
    export_opensdg(first, tmp_path / "out")
    rows = read_csv(tmp_path / "out" / "data" / "indicator_3-2-1.csv")
    header = list(rows[0])
    # Year first, the dimensions by their titles (Units and Series restored), Value last;
    # GeoCode is not a dimension (it was left out on import)
    assert header == [
        "Year",
        "Series",
        "Sex",
        "Age group",
        "Source",
        "Units",
        "Observation status",
        "COMMENT_OBS",
        "Value",
    ]
    years = [r["Year"] for r in rows]
    assert years[:3] == ["2015", "2016", "2016/17"]  # the published period text, from the note
    assert "2019 [Note 5]" in years and "17 May to 11 June 2023" in years
    assert (
        rows[0]["Sex"] == "" and rows[2]["Sex"] == "Female" and rows[2]["Age group"] == "<1"
    )  # labels, blank = total
    assert rows[1]["Observation status"] == "Provisional"
    assert rows[2]["COMMENT_OBS"] == "Revised"
    assert rows[-1]["Value"] == "1e-05"
    months = read_csv(tmp_path / "out" / "data" / "indicator_archived-1-a-1.csv")
    # "1993-01" could be the years 1993-2001: months are written as the UK wrote them
    assert [r["Year"] for r in months] == ["1993 01", "1993 02", "1993 02"]
    one = read_csv(tmp_path / "out" / "data" / "indicator_1-1-1.csv")
    assert [r["Unit multiplier"] for r in one] == ["Thousands", "Thousands"]  # joins the unit label again
    assert not (tmp_path / "out" / "data" / "indicator_4-1-1.csv").exists()  # no observations: no data file


def test_what_the_metadata_say(tmp_path: Path) -> None:
    first, _report = import_opensdg(rich_repo(tmp_path / "example-sdg"))
    export_opensdg(first, tmp_path / "out")
    meta = front_matter(tmp_path / "out" / "meta" / "3-2-1.md")
    assert meta["indicator_number"] == "3.2.1" and meta["sdg_goal"] == "3" and meta["target_id"] == "3.2"
    assert "target_name" not in meta  # "Target 3.2" is only a placeholder
    assert meta["indicator_name"] == meta["indicator_available"] == "Under-5 mortality rate"
    assert meta["national_indicator_description"] == "Deaths &lt;5 years &amp; more, per 1,000 live births."
    assert meta["computation_units"] == "Rate per 1,000 live births; Rate per 1"  # the unit label
    assert meta["periodicity"] == "Annual"
    assert meta["data_footnote"] == "First &amp; foremost.\n\nValues &lt; 1 are rounded."
    assert meta["goal_meta_link"] == "https://unstats.un.org/sdgs/metadata/?Goal=3"
    # source-2 keeps its number; the inactive source 1 is not there
    assert {k: v for k, v in meta.items() if k.startswith("source_")} == {
        "source_active_2": True,
        "source_organisation_2": "Office for National Statistics",
        "source_url_text_2": "Child mortality",
        "source_url_2": "https://www.ons.gov.uk/x",
        "source_active_3": True,
        "source_organisation_3": "NISRA",
    }
    assert meta["reporting_status"] == "inprogress" and meta["data_non_statistical"] is True
    assert meta["published"] is True and meta["graph_type"] == "line"
    assert meta["auto_progress_calculation"] is False  # a target for a disaggregation: Open SDG would average
    # one block per assessed series, selecting it as the original did, with its own settings
    assert meta["progress_calculation_options"] == [
        {
            "series": "Under-5 mortality",
            "unit": "Rate per 1,000 live births",
            "disaggregation": [{"field": "Sex", "value": "Female"}],
            "direction": "negative",
            "base_year": 2016,
            "target": 25.0,
            "target_year": 2030,
        },
        {
            "series": "Under-5 mortality",
            "unit": "Rate per 1,000 live births",
            "direction": "negative",
            "base_year": 2016,
            "limit": 0.0,
        },
    ]
    assert "veikart_targets" not in meta  # every target belongs to an assessed series
    assert meta["progress_status"] in set(OPEN_SDG_STATUS.values())
    archived = front_matter(tmp_path / "out" / "meta" / "archived-1-a-1.md")
    assert archived["standalone"] is True and archived["indicator_number"] == "1.a.1"
    assert "auto_progress_calculation" not in archived and archived["progress_status"] == "not_available"
    config = yaml.safe_load((tmp_path / "out" / "config_data.yml").read_text(encoding="utf-8"))
    assert config["languages"] == ["en"] and config["docs_branding"] == "Example SDG data"
    assert config["docs_indicator_url"] == "https://sdg.example.org/[id]"
    assert {"class": "InputYamlMdMeta", "path_pattern": "meta/*.md", "git": False} in config["inputs"]
    assert "COMMENT_OBS" in config["indicator_options"]["non_disaggregation_columns"]
    assert not (tmp_path / "out" / "translations").exists()  # the SDGs: Open SDG's own titles


# --- built from the model ------------------------------------------------------------------


def _framework(goals: list[Goal] | None = None) -> Framework:
    return Framework(
        id="demo",
        title="Demo strategy",
        owner="Demo owner",
        base_year=2018,
        horizon_year=2030,
        languages=["nb", "en"],
        goals=goals
        or [
            Goal(
                id="1",
                title="Bedre helse",
                subgoals=[
                    Subgoal(
                        code="1A",
                        title="Flere friske år",
                        translations={"en": {"title": "More healthy years"}},
                    )
                ],
                translations={"en": {"title": "Better health"}},
            ),
            Goal(id="2", title="Mindre ventetid", subgoals=[Subgoal(code="2A", title="Kortere køer")]),
        ],
    )


def _indicator(ind_id: str, **kw: Any) -> Indicator:
    fields: dict[str, Any] = dict(
        id=ind_id,
        title=f"Tittel {ind_id}",
        goal="1",
        subgoals=["1A"],
        definition="Definisjon",
        unit=Unit.PERCENT,
        unit_label="andel av kommunene",
        direction=Direction.HIGHER_IS_BETTER,
        sources=[Source(id="ssb", organisation="SSB", name="Statistikkbanken", url="https://www.ssb.no/")],
        update_frequency=Frequency.ANNUAL,
    )
    fields.update(kw)
    return Indicator(**fields)


def _table(ind_id: str, dims: tuple[str, ...], rows: list[tuple]) -> ObservationTable:
    t = ObservationTable(ind_id, dims)
    for key, period, value, flags, note in rows:
        t.append(key, period, value, None, flags, "published", "ssb", note)
    return t


def test_suppressed_values_are_never_exported(tmp_path: Path) -> None:
    ind = _indicator("andel-a")
    table = _table(
        "andel-a",
        (),
        [
            ((), "2019", 10.0, "", ""),
            ((), "2020", None, "suppressed", ""),
            ((), "2021", 12.0, "provisional", ""),
        ],
    )
    data = FrameworkData(_framework(), {ind.id: ind}, {ind.id: table})
    written = export_opensdg(data, tmp_path / "out")
    assert written.suppressed == 1 and written.rows == 2
    rows = read_csv(tmp_path / "out" / "data" / "indicator_andel-a.csv")
    assert [r["Year"] for r in rows] == ["2019", "2021"]
    assert rows[1]["Observation status"] == "Provisional"  # the flag, in Open SDG's words
    back, _report = import_opensdg(tmp_path / "out", "demo")
    t = back.observations["andel-a"]
    assert t.periods == ["2019", "2021"] and t.flags == ["", "provisional"]


def test_months_that_could_be_year_ranges_are_written_unmistakably(tmp_path: Path) -> None:
    ind = _indicator("maned", direction=Direction.NONE)
    # 2011-12 alone reads as the fiscal year 2011/12; a fiscal year kept in a note must stay one
    table = _table("maned", (), [((), "2011-12", 5.0, "", ""), ((), "2012/13", 6.0, "", "Year: 2012-13")])
    data = FrameworkData(_framework(), {ind.id: ind}, {ind.id: table})
    export_opensdg(data, tmp_path / "out")
    years = [r["Year"] for r in read_csv(tmp_path / "out" / "data" / "indicator_maned.csv")]
    assert years == ["2011 12", "2012-13"]
    back, _report = import_opensdg(tmp_path / "out", "demo")
    assert back.observations["maned"].periods == ["2011-12", "2012/13"]
    assert back.observations["maned"].note == ["", "Year: 2012-13"]


def test_progress_options_and_components(tmp_path: Path) -> None:
    fw = _framework()
    ind = _indicator(
        "andel-b",
        ambitions=[Ambition(value=90, unit=Unit.PERCENT, deadline=date(2030, 12, 31))],
        natural_limit=NaturalLimit(lower=0, upper=100),
        base_year=2019,
    )
    quarterly = _indicator(
        "kvartal", direction=Direction.LOWER_IS_BETTER, unit=Unit.COUNT, unit_label="antall saker"
    )
    table = _table(
        "andel-b", (), [((), str(y), v, "", "") for y, v in ((2018, 40.0), (2019, 50.0), (2022, 70.0))]
    )
    quarters = _table("kvartal", (), [((), f"2023-Q{q}", 100.0 - q, "", "") for q in (1, 2, 3, 4)])
    data = FrameworkData(fw, {ind.id: ind, quarterly.id: quarterly}, {ind.id: table, quarterly.id: quarters})
    written = export_opensdg(data, tmp_path / "out")
    assert written.progress_auto == ["andel-b"] and written.progress_set == ["kvartal"]

    meta = front_matter(tmp_path / "out" / "meta" / "andel-b.md")
    assert meta["auto_progress_calculation"] is True
    assert meta["progress_calculation_options"] == [
        {"direction": "positive", "base_year": 2019, "target": 90.0, "target_year": 2030, "limit": 100.0}
    ]
    results = {r.indicator.id: r for r in assess_framework(data)}
    expected = OPEN_SDG_STATUS[results["andel-b"].status]
    assert meta["progress_status"] == expected
    # sub-annual data: Open SDG reads the first four characters as the year, so veikart's status is written
    q = front_matter(tmp_path / "out" / "meta" / "kvartal.md")
    assert q["auto_progress_calculation"] is False
    assert q["progress_status"] == OPEN_SDG_STATUS[results["kvartal"].status]
    assert q["progress_calculation_options"] == [{"direction": "negative", "base_year": 2018}]

    components = yaml.safe_load(
        (tmp_path / "out" / "indicator_calculation_components.yml").read_text(encoding="utf-8")
    )
    entry = components["andel-b"]
    assert entry["progress_status"] == expected and entry["score"] == pytest.approx(results["andel-b"].score)
    series = entry["andel-b"]  # sdg-build names the headline series by the indicator id
    assert list(series) == [
        "base_value",
        "base_year",
        "current_value",
        "current_year",
        "target",
        "target_year",
        "direction",
        "sign",
        "limit",
        "progress_value",
        "status",
        "score",
    ]
    assert series["base_value"] == 50.0 and series["base_year"] == 2019.0
    assert series["current_value"] == 70.0 and series["current_year"] == 2022.0
    assert series["target"] == 90.0 and series["target_year"] == 2030.0 and series["direction"] == 1
    assert series["status"] == expected
    assert components["kvartal"]["kvartal"]["base_year"] == pytest.approx(2023.125)  # the quarter's midpoint
    assert_open_sdg_accepts(tmp_path / "out")

    back, _report = import_opensdg(tmp_path / "out", "demo")
    b = back.indicators["andel-b"]
    assert b.direction is Direction.HIGHER_IS_BETTER and b.base_year == 2019
    assert [(a.value, a.deadline) for a in b.ambitions] == [(90.0, date(2030, 12, 31))]
    assert b.natural_limit == NaturalLimit(upper=100)
    assert back.indicators["kvartal"].direction is Direction.LOWER_IS_BETTER
    assert back.indicators["kvartal"].base_year == 2018  # the framework's base year, said outright


def test_goals_targets_and_translations_of_another_framework(tmp_path: Path) -> None:
    fw = _framework()
    ind = _indicator(
        "andel-c",
        translations={
            "en": {"title": "Share C", "definition": "Definition", "unit_label": "share of municipalities"}
        },
    )
    no_target = _indicator("antall-d", goal="2", subgoals=[], unit=Unit.COUNT, unit_label="antall søknader")
    data = FrameworkData(fw, {ind.id: ind, no_target.id: no_target}, {})
    export_opensdg(data, tmp_path / "out")
    goals = yaml.safe_load(
        (tmp_path / "out" / "translations" / "nb" / "global_goals.yml").read_text(encoding="utf-8")
    )
    assert goals["1-short"] == "Bedre helse" and goals["2-title"] == "Mindre ventetid"
    assert yaml.safe_load(
        (tmp_path / "out" / "translations" / "en" / "global_targets.yml").read_text(encoding="utf-8")
    ) == {"1A-title": "More healthy years"}
    assert front_matter(tmp_path / "out" / "meta" / "en" / "andel-c.md")["indicator_name"] == "Share C"
    meta = front_matter(tmp_path / "out" / "meta" / "antall-d.md")
    assert meta["standalone"] is True and "indicator_number" not in meta and meta["sdg_goal"] == "2"

    back, _report = import_opensdg(tmp_path / "out", "demo")
    assert [(g.id, g.title, g.translations) for g in back.framework.goals] == [
        ("1", "Bedre helse", {"en": {"title": "Better health"}}),
        ("2", "Mindre ventetid", {}),
    ]
    assert [(s.code, s.title, s.translations) for g in back.framework.goals for s in g.subgoals] == [
        ("1A", "Flere friske år", {"en": {"title": "More healthy years"}}),
        ("2A", "Kortere køer", {}),  # a subgoal without indicators comes back too
    ]
    c, d = back.indicators["andel-c"], back.indicators["antall-d"]
    assert c.translations == ind.translations and c.unit is Unit.PERCENT and c.subgoals == ["1A"]
    assert d.goal == "2" and d.subgoals == [] and d.unit is Unit.COUNT


def test_sdg_number_and_standalone() -> None:
    assert sdg_number(_indicator("1-2-1", goal="1")) == ("1.2.1", False)
    assert sdg_number(_indicator("17-18-1", goal="17")) == ("17.18.1", False)
    assert sdg_number(_indicator("archived-1-a-1", goal="1")) == ("1.a.1", True)
    assert sdg_number(_indicator("pll-nasjonalt", goal="2")) == (None, True)
    assert sdg_number(_indicator("2-1-1", goal="3")) == (None, True)  # the number would put it under goal 2


def test_dimension_titles_that_the_importer_would_misread_are_renamed(tmp_path: Path) -> None:
    dims = [
        Dimension(id="year", title="Year", values=[DimensionValue(code="a", label="A")]),
        Dimension(
            id="kjonn",
            title="Kjønn",
            values=[DimensionValue(code="k", label="Kvinner"), DimensionValue(code="m", label="Kvinner")],
        ),
    ]
    ind = _indicator("dims", dimensions=dims, direction=Direction.NONE)
    table = _table(
        "dims", ("year", "kjonn"), [(("a", "k"), "2020", 1.0, "", ""), (("a", "m"), "2020", 2.0, "", "")]
    )
    export_opensdg(FrameworkData(_framework(), {ind.id: ind}, {ind.id: table}), tmp_path / "out")
    rows = read_csv(tmp_path / "out" / "data" / "indicator_dims.csv")
    assert list(rows[0]) == ["Year", "Year (year)", "Kjønn", "Value"]
    assert [r["Kjønn"] for r in rows] == ["Kvinner (k)", "Kvinner (m)"]  # shared labels stay apart
    back, report = import_opensdg(tmp_path / "out", "demo")
    assert len(back.observations["dims"]) == 2 and not [
        p for p in report.problems if "duplicate" in p.message
    ]


def test_export_folder_rules(tmp_path: Path) -> None:
    ind = _indicator("andel-e")
    data = FrameworkData(_framework(), {ind.id: ind}, {})
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(NotAnOpenSdgRepository):
        export_opensdg(data, other)
    assert (other / "notes.txt").read_text(encoding="utf-8") == "mine"

    repo = tmp_path / "repo"
    export_opensdg(data, repo)
    (repo / "scripts").mkdir()
    (repo / "scripts" / "build_data.py").write_text("# build", encoding="utf-8")
    (repo / "meta" / "stale-1.md").write_text("---\n---\n", encoding="utf-8")
    export_opensdg(data, repo)  # an Open SDG repository: its managed files are replaced
    assert (repo / "scripts" / "build_data.py").exists()
    assert not (repo / "meta" / "stale-1.md").exists()
    assert (repo / "meta" / "andel-e.md").exists()


def test_render_is_deterministic() -> None:
    data = read_package(DEFAULT)
    assert render_opensdg(data) == render_opensdg(data)


# --- the bundled default -------------------------------------------------------------------


def _by_labels(ind: Indicator, table: ObservationTable) -> list[tuple]:
    """Observations with their series named by dimension titles and value labels (codes and
    dimension ids are not carried by Open SDG, which names values by their labels)."""
    titles = {d.id: d.title for d in ind.dimensions}
    labels = {d.id: {v.code: v.label or v.code for v in d.values} for d in ind.dimensions}
    out = []
    for i in range(len(table)):
        if table.values[i] is None or "suppressed" in table.flags[i]:
            continue
        key = tuple(
            sorted(
                (titles[d], labels[d][c]) for d, c in zip(table.dimensions, table.keys[i], strict=True) if c
            )
        )
        out.append((key, table.periods[i], table.values[i]))
    return sorted(out)


def test_bundled_default_round_trip(tmp_path: Path) -> None:
    data = read_package(DEFAULT)
    written = export_opensdg(data, tmp_path / "default")
    assert written.indicators == len(data.indicators)
    assert_open_sdg_accepts(tmp_path / "default")
    back, report = import_opensdg(tmp_path / "default", data.framework.id)
    assert report.counts_add_up()

    # goals and subgoals (translations/ carries them), in both languages
    def goals(fw: Framework) -> list:
        return [
            (
                g.id,
                g.title,
                g.description,
                g.translations.get("en", {}).get("title"),
                [(s.code, s.title, s.translations.get("en", {}).get("title")) for s in g.subgoals],
            )
            for g in fw.goals
        ]

    assert goals(back.framework) == goals(data.framework)
    assert back.framework.languages == data.framework.languages
    assert back.framework.owner == data.framework.owner

    assert set(back.indicators) == set(data.indicators)
    fw = data.framework
    for ind_id, ind in data.indicators.items():
        b = back.indicators[ind_id]
        assert (b.title, b.goal, b.subgoals[:1], b.definition) == (
            ind.title,
            ind.goal,
            ind.subgoals[:1],
            ind.definition,
        )
        assert (b.unit, b.unit_label, b.update_frequency) == (
            ind.unit,
            ind.unit_label,
            ind.update_frequency,
        ), ind_id
        assert b.direction is ind.direction and b.footnotes == ind.footnotes and b.links == ind.links[:1]
        assert [(s.organisation, s.name, s.url) for s in b.sources if s.id != "data-repository"] == [
            (s.organisation, s.name, s.url) for s in ind.sources
        ]
        for lang, tr in ind.translations.items():
            carried = {k: v for k, v in tr.items() if k in ("title", "definition", "unit_label")}
            assert b.translations.get(lang, {}) == carried, ind_id
        assert [d.title for d in b.dimensions] == [d.title for d in ind.dimensions]
        if ind.direction is not Direction.NONE:
            assert (b.base_year or 2015) == (ind.base_year or fw.base_year)  # the effective base year
            limit = ind.natural_limit
            if limit is not None:
                kept = limit.upper if ind.direction is Direction.HIGHER_IS_BETTER else limit.lower
                assert (
                    b.natural_limit.upper
                    if ind.direction is Direction.HIGHER_IS_BETTER
                    else b.natural_limit.lower
                ) == kept
            titles = {d.id: d.title for d in ind.dimensions}
            btitles = {d.id: d.title for d in b.dimensions}

            def scopes(i: Indicator, t: dict[str, str]) -> list:
                labels = {d.id: {v.code: v.label for v in d.values} for d in i.dimensions}
                return [
                    (a.value, a.deadline, sorted((t[k], labels[k][v]) for k, v in a.scope.items()))
                    for a in i.ambitions
                ]

            assert scopes(b, btitles) == scopes(ind, titles)
        if ind_id in data.observations:
            assert _by_labels(b, back.observations[ind_id]) == _by_labels(ind, data.observations[ind_id])
        else:
            assert ind_id not in back.observations


# --- the UK corpus -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_import() -> tuple:
    if not CORPUS.is_dir():
        if IN_CI:
            pytest.fail(f"the Open SDG corpus is missing at {CORPUS} (CI=true: it may not be skipped)")
        pytest.skip(f"the Open SDG corpus is missing at {CORPUS}; skipped outside CI")
    return import_opensdg(CORPUS)


def test_corpus_export_import_gives_the_same_framework(corpus_import: tuple, tmp_path: Path) -> None:
    first, _report = corpus_import
    # a folder of the corpus' name: the source the importer makes for indicators that name none
    # says which repository the figures come from
    target = tmp_path / CORPUS.name
    started = time.perf_counter()
    written = export_opensdg(first, target)
    seconds = time.perf_counter() - started
    assert written.rows == first.observation_count() and written.suppressed == 0
    assert seconds < 20, f"the export took {seconds:.1f} s"
    second, report = import_opensdg(target, first.framework.id)
    assert report.counts_add_up()
    assert_same(first, second)
    # every problem of the second import is an indicator without observations, said as such
    assert all("no data" in p.message for p in report.problems)
    assert_open_sdg_accepts(target)


def test_corpus_components_file(corpus_import: tuple, tmp_path: Path) -> None:
    first, _report = corpus_import
    files = render_opensdg(first)
    components = yaml.safe_load(files["indicator_calculation_components.yml"])
    assert set(components) == set(first.indicators)
    # the corpus asks for no progress calculation: Open SDG shows none
    assert {c["progress_status"] for c in components.values()} == {"not_available"}


def test_yaml_front_matter_round_trips_awkward_text(tmp_path: Path) -> None:
    text = textwrap.dedent(
        """\
        Line one: with a colon, 'quotes' and "double quotes" # not a comment
        ---
        - not a list
        """
    ).strip()
    ind = _indicator("tekst", definition=text, title="Yes", direction=Direction.NONE)
    export_opensdg(FrameworkData(_framework(), {ind.id: ind}, {}), tmp_path / "out")
    back, _report = import_opensdg(tmp_path / "out", "demo")
    assert back.indicators["tekst"].title == "Yes"  # not the boolean YAML 1.1 makes of an unquoted yes
    assert back.indicators["tekst"].definition == text


def test_a_table_whose_columns_are_in_another_order(tmp_path: Path) -> None:
    dims = [
        Dimension(id="region", title="Region", values=[DimensionValue(code="n", label="Nord")]),
        Dimension(id="kjonn", title="Kjønn", values=[DimensionValue(code="k", label="Kvinner")]),
    ]
    ind = _indicator("orden", dimensions=dims, direction=Direction.LOWER_IS_BETTER)
    table = ObservationTable("orden", ("kjonn", "region"))
    for key, period, value in (
        (("k", "n"), "2019", 3.0),
        (("k", "n"), "2021", 2.0),
        (("k", ""), "2021", 1.0),
    ):
        table.append(key, period, value, None, "", "published", "ssb", "")
    written = export_opensdg(FrameworkData(_framework(), {ind.id: ind}, {ind.id: table}), tmp_path / "out")
    rows = read_csv(tmp_path / "out" / "data" / "indicator_orden.csv")
    assert [(r["Region"], r["Kjønn"]) for r in rows] == [
        ("Nord", "Kvinner"),
        ("Nord", "Kvinner"),
        ("", "Kvinner"),
    ]
    assert written.progress_set == ["orden"]  # no total series: veikart averages the series
    components = yaml.safe_load(
        (tmp_path / "out" / "indicator_calculation_components.yml").read_text(encoding="utf-8")
    )
    assert "orden / Nord / Kvinner" in components["orden"]
