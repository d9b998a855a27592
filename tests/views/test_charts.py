"""Chart specs: each renders with vl-convert, speaks the current language's number formats, marks
illustrative data in the picture itself, describes itself in its alt text and is deterministic."""

from __future__ import annotations

import html
import json
import re
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from altair.vegalite.v6.schema.core import load_schema

from tests.core.test_assess import framework, share, table
from veikart.core.assess import IndicatorResult, assess_framework
from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.core.model import (
    Ambition,
    Dimension,
    DimensionValue,
    Direction,
    Indicator,
    IndicatorKind,
    Source,
    Survey,
    Unit,
)
from veikart.i18n import set_language
from veikart.package.reader import read_package
from veikart.views.chartspec import ChartSpec
from veikart.views.charts import (
    MAX_LINES,
    PALETTE,
    category_chart,
    chart_for,
    chart_kind,
    locale_config,
    progress_chart,
    survey_chart,
)
from veikart.views.render import engine

DEFAULT = Path(str(files("veikart") / "data" / "default"))
NOTICE = {"en": "Illustrative data - not official figures", "nb": "Illustrasjonsdata - ikke offisielle tall"}
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}

vlc = engine()  # vl-convert with the fonts the renderer draws with (first use in a process sets them)


@cache
def _default() -> tuple[FrameworkData, tuple[IndicatorResult, ...]]:
    data = read_package(DEFAULT)
    return data, tuple(assess_framework(data))


def default_chart(indicator_id: str, **kw: Any) -> ChartSpec:
    data, results = _default()
    r = next(r for r in results if r.indicator.id == indicator_id)
    chart = chart_for(r, data, f"chart-{indicator_id}", **kw)
    assert chart is not None
    return chart


def svg_text(spec: dict[str, Any]) -> str:
    """Every piece of text drawn in the chart's SVG."""
    return texts_of(vlc.vegalite_to_svg(spec))


def texts_of(svg: str) -> str:
    """Every piece of text drawn in an SVG (multi-line labels joined by spaces), one per line."""
    texts = [re.sub(r"<[^>]+>", " ", m) for m in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    # collapse ASCII white space only: the no-break spaces of the bokmål formats stay
    return "\n".join(re.sub(r"[ \t\r\n]+", " ", html.unescape(t)).strip() for t in texts)


def _built(ind: Indicator, tbl: ObservationTable) -> tuple[IndicatorResult, FrameworkData]:
    data = framework((ind, tbl))
    (r,) = assess_framework(data)
    return r, data


def _rows(
    ind_id: str,
    rows: list[tuple[tuple[str, ...], str, float | None, int | None, str, str]],
    dims: tuple[str, ...] = (),
) -> ObservationTable:
    """Rows of (key, period, value, n, provenance, source)."""
    t = ObservationTable(ind_id, dims)
    for key, period, value, n, provenance, source in rows:
        t.append(key, period, value, n, "" if value is not None else "suppressed", provenance, source, "")
    return t


REGION = Dimension(
    id="region",
    title="Region",
    values=[DimensionValue(code="nord", label="Nord"), DimensionValue(code="sor", label="Sør")],
)


# --- the bundled default --------------------------------------------------------------------

EXPECTED_KINDS = {
    "beslutningsstotte-helsepersonell": "progress",
    "helsedata-utleveringstid": "progress",
    "helsedataservice-soknader": "progress",
    "hto-effekt": "category",
    "hto-epj": "category",
    "innbyggerundersokelsen-digitale-tjenester": "survey",
    "innbyggerundersokelsen-onskede-tjenester": "survey",
    "ki-dokumentasjonsassistenter-fastleger": "progress",
    "ki-indikatorer": None,
    "pjd-legevakt": "category",
    "pjd-virksomheter-totalt": "category",
    "pjd-virksomheter": "category",
    "pll-nasjonalt": "progress",
    "tillit-helseopplysninger": "progress",
    "velferdsteknologi": "progress",
}


def test_each_default_indicator_gets_the_expected_kind_of_chart() -> None:
    data, results = _default()
    assert {r.indicator.id: chart_kind(r) for r in results} == EXPECTED_KINDS
    ki = next(r for r in results if r.indicator.id == "ki-indikatorer")
    assert chart_for(ki, data, "chart-ki") is None  # no observations: nothing to draw


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_every_default_chart_is_valid_vega_lite_and_renders_to_svg(lang: str) -> None:
    set_language(lang)
    data, results = _default()
    validator = jsonschema.validators.validator_for(load_schema())(load_schema())
    for r in results:
        chart = chart_for(r, data, f"chart-{r.indicator.id}")
        if chart is None:
            continue
        errors = [e.message[:300] for e in validator.iter_errors(chart.spec)]
        assert errors == [], (r.indicator.id, errors)
        svg = vlc.vegalite_to_svg(chart.spec)
        assert svg.startswith("<svg") and "<text" in svg, r.indicator.id
        assert chart.spec["description"] == chart.alt and chart.alt
        assert chart.spec["config"]["locale"] == locale_config(lang)
        assert chart.id == f"chart-{r.indicator.id}" and chart.provenance
        # the notice is in the picture exactly when an illustrative observation is plotted
        assert (NOTICE[lang] in texts_of(svg)) is chart.illustrative, r.indicator.id
        assert (NOTICE[lang] in chart.provenance) is chart.illustrative
        assert (NOTICE[lang] in chart.alt) is chart.illustrative


def test_a_png_renders_and_is_not_empty() -> None:
    png = vlc.vegalite_to_png(default_chart("velferdsteknologi").spec, scale=1)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000


def test_charts_stay_small_with_rounded_numbers_and_only_the_fields_drawn() -> None:
    spec = default_chart("pll-nasjonalt").spec
    assert len(json.dumps(spec)) < 40_000
    for name, rows in spec["datasets"].items():
        for row in rows:
            assert set(row) <= {"t", "v", "s", "p", "f", "w", "lo", "hi"}, name
            for value in row.values():
                if isinstance(value, float):
                    assert value == round(value, 6)


# --- number formats and language ------------------------------------------------------------


def test_bokmal_ticks_and_labels_use_the_norwegian_formats() -> None:
    set_language("nb")
    text = svg_text(default_chart("velferdsteknologi").spec)
    assert "20\u00a0%" in text and "100\u00a0%" in text  # Vega's own ticks, through config.locale
    assert "95,8\u00a0%" in text and "84\u00a0%" in text  # the projected and the latest value
    assert NOTICE["nb"] in text
    text = svg_text(default_chart("pjd-virksomheter-totalt").spec)
    assert "1\u00a0000" in text and "1,000" not in text  # thousands grouped with a no-break space


def test_english_ticks_and_labels_use_english_formats() -> None:
    text = svg_text(default_chart("velferdsteknologi").spec)
    assert "20%" in text and "95.8%" in text and "Ambition 100%" in text and "Progress towards 2030" in text
    assert "20\u00a0%" not in text
    assert "1,000" in svg_text(default_chart("pjd-virksomheter-totalt").spec)


@pytest.mark.parametrize(("lang", "ticks"), [("nb", ("0,5", "1,5")), ("en", ("0.5", "1.5"))])
def test_vega_formats_decimals_with_the_locale(lang: str, ticks: tuple[str, str]) -> None:
    """The decimal comma comes from Vega (config.locale), not from Python: these ticks are
    computed by Vega from a number axis."""
    set_language(lang)
    ind = share("score", unit=Unit.NUMBER, direction=Direction.NONE, kind=IndicatorKind.STATISTIC)
    r, data = _built(ind, table("score", [((), "2021", 0.4), ((), "2022", 1.1), ((), "2023", 2.5)]))
    chart = chart_for(r, data, "c")
    assert chart is not None
    drawn = svg_text(chart.spec).split("\n")
    assert set(ticks) <= set(drawn), drawn


# --- what the charts say ---------------------------------------------------------------------


def test_the_alt_text_gives_first_and_last_values_the_ambition_and_the_projection() -> None:
    chart = default_chart("velferdsteknologi")
    assert chart.alt.startswith("Line chart. The share rose from 48% in 2019 to 84% in 2025.")
    assert "Ambition: 100% by 2030." in chart.alt
    assert "Projection (logistic saturation): 95.8% in 2030" in chart.alt
    assert chart.alt.endswith(NOTICE["en"] + ".")
    set_language("nb")
    nb = default_chart("velferdsteknologi")
    for figure in ("48\u00a0%", "84\u00a0%", "100\u00a0%", "95,8\u00a0%"):
        assert figure in nb.alt
    assert NOTICE["nb"] in nb.alt


def test_good_level_and_ambition_are_drawn_and_named() -> None:
    chart = default_chart("tillit-helseopplysninger")
    text = svg_text(chart.spec)
    assert "Good level 70%" in text and "Ambition 75%" in text
    assert "Good level: 70%." in chart.alt and "Ambition: 75% by 2030." in chart.alt
    marks = [layer["mark"] for layer in chart.spec["layer"] if layer["mark"]["type"] != "text"]
    dashes = {json.dumps(mark.get("strokeDash")) for mark in marks}
    assert len(dashes) >= 4  # observed (solid), projection, ambition and good level all differ


def test_regions_differ_by_colour_and_shape_and_the_total_is_black_and_thicker() -> None:
    chart = default_chart("pll-nasjonalt")
    enc = next(layer["encoding"] for layer in chart.spec["layer"] if "shape" in layer["encoding"])
    names = enc["color"]["scale"]["domain"]
    assert names == ["Total", "Helse Sør-Øst", "Helse Vest", "Helse Midt-Norge", "Helse Nord"]
    colours = enc["color"]["scale"]["range"]
    assert colours[0] == "#000000" and len(set(colours)) == 5 and set(colours) <= OKABE_ITO
    assert len(set(enc["shape"]["scale"]["range"])) == 5
    widths = {row["s"]: row["w"] for row in chart.spec["datasets"]["obs"]}
    assert widths["Total"] > widths["Helse Vest"]
    assert "5 series: Total, Helse Sør-Øst" in chart.alt and "Ambition: 30% by 2029." in chart.alt


def _data_colours(node: Any) -> list[str]:
    """Colours that mark data: colour scale ranges, and fixed colours of marks other than text
    (text may be darkened for contrast)."""
    out: list[str] = []
    if isinstance(node, dict):
        enc = node.get("encoding", {})
        scale = enc.get("color", {}).get("scale") if isinstance(enc.get("color"), dict) else None
        if isinstance(scale, dict):
            out += scale.get("range", [])
        mark = node.get("mark")
        if isinstance(mark, dict) and mark.get("type") != "text" and "color" in mark:
            out.append(mark["color"])
        for value in node.values():
            out += _data_colours(value)
    elif isinstance(node, list):
        for value in node:
            out += _data_colours(value)
    return out


def test_only_okabe_ito_colours_mark_the_data() -> None:
    data, results = _default()
    for r in results:
        chart = chart_for(r, data, "c")
        if chart is not None:
            colours = _data_colours(chart.spec)
            assert colours and set(colours) <= OKABE_ITO, (r.indicator.id, colours)
    assert set(PALETTE) == OKABE_ITO


def test_provenance_names_the_source_and_the_vintage() -> None:
    chart = default_chart("velferdsteknologi", vintage=date(2026, 1, 15))
    assert chart.provenance == f"Source: SSB/KPR. {NOTICE['en']}. Data as known on 15 Jan 2026."
    seed = default_chart("helsedata-utleveringstid")
    assert seed.provenance == "Stated in the status report." and not seed.illustrative
    assert NOTICE["en"] not in svg_text(seed.spec)


def test_published_data_carry_no_notice_and_name_the_rows_sources() -> None:
    src = Source(id="ssb", organisation="Statistisk sentralbyrå (SSB)", name="Statistikkbanken")
    ind = share(sources=[src], ambitions=[Ambition(value=80, unit=Unit.PERCENT, deadline=date(2030, 12, 31))])
    rows = [((), "2023", 60.0, None, "published", "ssb"), ((), "2025", 66.5, None, "published", "ssb")]
    tbl = _rows("andel", rows)
    r, data = _built(ind, tbl)
    chart = chart_for(r, data, "c")
    assert chart is not None and not chart.illustrative
    assert chart.provenance == "Source: SSB/Statistikkbanken."
    text = svg_text(chart.spec)
    assert NOTICE["en"] not in text and "66.5%" in text and "Ambition 80%" in text


def test_without_the_title_the_notice_still_heads_the_chart() -> None:
    chart = default_chart("velferdsteknologi", show_title=False)
    assert chart.spec["title"]["text"] == NOTICE["en"]
    text = svg_text(chart.spec)
    assert NOTICE["en"] in text and "Progress towards 2030" not in text
    assert chart.title == "Progress towards 2030"  # the page shows it


# --- determinism -----------------------------------------------------------------------------


def test_the_same_input_gives_the_same_spec() -> None:
    data, results = _default()

    def build() -> list[str]:
        charts = [chart_for(r, data, "c") for r in results]
        return [json.dumps(c.spec, sort_keys=True) for c in charts if c is not None]

    first, second = build(), build()
    assert first == second
    joined = "\n".join(first)
    assert "param_" not in joined and "view_" not in joined and "data-" not in joined  # no generated names


# --- surveys ---------------------------------------------------------------------------------


def test_single_answer_survey_is_stacked_bars_labelled_with_n() -> None:
    chart = default_chart("innbyggerundersokelsen-digitale-tjenester")
    text = svg_text(chart.spec)
    for n in (1500, 1512, 1601, 1506, 1581):
        assert f"n={n}" in text
    assert "38%" in text and "Vet ikke" in text
    assert chart.spec["layer"][0]["encoding"]["x"]["stack"] == "zero"
    assert "2025 (n=1581): Ja, det finnes" in chart.alt


def test_multiple_answer_survey_is_grouped_bars_with_n_in_the_legend() -> None:
    chart = default_chart("innbyggerundersokelsen-onskede-tjenester")
    text = svg_text(chart.spec)
    assert "2023 (n=542)" in text and "2025 (n=606)" in text
    assert "Several answers allowed, so the shares do not add up to 100%." in text
    assert "Prøvesvar (blod, lab, radiologi, røntgen): 66% (2023) to 70% (2025)" in chart.alt
    bars = chart.spec["layer"][0]["encoding"]
    assert bars["yOffset"]["field"] == "g" and bars["color"]["field"] == "g"


def test_a_hand_built_survey_with_a_missing_n_and_a_share_short_of_100() -> None:
    answers = [DimensionValue(code="ja", label="Ja"), DimensionValue(code="nei", label="Nei")]
    answer = Dimension(id="svar", title="Svar", values=answers)
    ind = share(
        "q",
        kind=IndicatorKind.STATISTIC,
        direction=Direction.NONE,
        dimensions=[answer],
        survey=Survey(question="Q?", answer_dimension="svar"),
    )
    rows = [
        (("ja",), "2024", 40.0, 1000, "published", ""),
        (("nei",), "2024", 59.9, 1000, "published", ""),
        (("ja",), "2025", 45.0, None, "published", ""),
        (("nei",), "2025", 55.0, None, "published", ""),
        (("",), "2025", 100.0, None, "published", ""),  # a total row is not an answer
    ]
    r, data = _built(ind, _rows("q", rows, ("svar",)))
    chart = survey_chart(r, data.observations["q"], chart_id="s")
    text = svg_text(chart.spec)
    assert "n=1000" in text and text.count("n=") == 1 and not chart.illustrative
    assert [row["v"] for row in chart.spec["datasets"]["n"]] == [0.999]  # 99.9 % stays 99.9 %


# --- statistics ------------------------------------------------------------------------------


def test_many_categories_become_small_multiples_and_few_periods_become_bars() -> None:
    pjd = default_chart("pjd-virksomheter")
    assert "facet" in pjd.spec and pjd.spec["columns"] == 6
    assert len({row["s"] for row in pjd.spec["datasets"]["obs"]}) == 18 > MAX_LINES
    assert "18 series from Q1 2024 to Q4 2025." in pjd.alt
    hto = default_chart("hto-effekt")
    assert hto.spec["layer"][0]["mark"]["type"] == "bar"
    assert "2025: Elektronisk pasientjournal (EPJ) 130" in hto.alt
    one = default_chart("pjd-legevakt")
    assert one.alt == "Bar chart. 2025: 39." and "39" in svg_text(one.spec).split("\n")


def test_few_categories_are_lines_with_the_total_first() -> None:
    chart = default_chart("pjd-virksomheter-totalt")
    points = next(layer for layer in chart.spec["layer"] if layer["mark"]["type"] == "point")
    assert points["encoding"]["color"]["scale"]["domain"][0] == "Total"
    assert "Latest values (Q4 2025): Total 1,107, Helse Sør-Øst 686" in chart.alt


# --- hand-built edge cases --------------------------------------------------------------------


def test_different_ambitions_per_region_get_a_marker_each() -> None:
    ind = share(
        dimensions=[REGION],
        ambitions=[
            Ambition(value=30, unit=Unit.PERCENT, deadline=date(2029, 12, 31), scope={"region": "nord"}),
            Ambition(value=20, unit=Unit.PERCENT, deadline=date(2029, 12, 31), scope={"region": "sor"}),
        ],
        projection_model="linear",
    )
    rows = [(("nord",), "2023", 10), (("nord",), "2024", 15), (("sor",), "2023", 5), (("sor",), "2024", 8)]
    r, data = _built(ind, table("andel", rows, ("region",)))
    chart = chart_for(r, data, "c")
    assert chart is not None and chart_kind(r) == "progress"
    text = svg_text(chart.spec)
    assert "Ambition 30% (Nord)" in text and "Ambition 20% (Sør)" in text
    assert "Ambition: 30% by 2029 (Nord)." in chart.alt and "Ambition: 20% by 2029 (Sør)." in chart.alt


def test_one_observation_draws_a_point_without_projection() -> None:
    r, data = _built(share(), table("andel", [((), "2025", 40)]))
    chart = chart_for(r, data, "c")
    assert chart is not None
    assert chart.alt == f"Line chart. The share was 40% in 2025. {NOTICE['en']}."
    assert "projection" not in chart.spec["datasets"]
    vlc.vegalite_to_svg(chart.spec)


def test_an_indicator_without_observations_draws_a_placeholder_when_asked() -> None:
    ind = share()
    r, data = _built(ind, ObservationTable("andel", ()))
    assert chart_for(r, data, "c") is None
    chart = progress_chart(r, None, horizon_year=2030, chart_id="c")
    assert "No observations to draw yet." in svg_text(chart.spec) and not chart.illustrative
    assert category_chart(r, None, chart_id="c").alt == "No observations to draw yet."


def test_a_projection_beyond_the_natural_limit_is_drawn_within_it() -> None:
    hundred = Ambition(value=100, unit=Unit.PERCENT, deadline=date(2030, 12, 31))
    ind = share(ambitions=[hundred], projection_model="linear")
    r, data = _built(ind, table("andel", [((), "2023", 70), ((), "2024", 80), ((), "2025", 90)]))
    chart = chart_for(r, data, "c")
    assert chart is not None
    assert max(row["v"] for row in chart.spec["datasets"]["projection"]) == 1.0
    assert max(row["hi"] for row in chart.spec["datasets"]["band"]) <= 1.0
    assert "Projection (linear trend): 100% in 2030" in chart.alt
