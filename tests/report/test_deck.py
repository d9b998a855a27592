"""The council deck of the bundled default, read as a council member reads it: the composed
document's text (what every renderer shows), in bokmål and English, against the seed deck."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial
from importlib.resources import files
from pathlib import Path

import pytest

from veikart.i18n import set_language
from veikart.i18n.labels import progress_badge
from veikart.package.reader import read_package
from veikart.report.build import build_report
from veikart.report.compose import ReportInputs, compose_report
from veikart.report.document import Badge, Bullets, Callout, Facts, Paragraph, Report, Slide, TableBlock
from veikart.store.store import Store
from veikart.views.charts import chart_for

DEFAULT = Path(str(files("veikart") / "data" / "default"))


def _plain(md: str) -> str:
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    return re.sub(r"\s+", " ", md.replace("**", "").replace("\\", "").replace("\u00a0", " ")).strip()


def compose(lang: str) -> Report:
    set_language(lang)
    try:
        data = read_package(DEFAULT)
        period = data.periods["2026-01"]
        chart = partial(chart_for, vintage="29.01.2026", show_title=False)
        return compose_report(ReportInputs(data, period, lang, chart, provenance={"data_as_of": "29.01.2026"}))
    finally:
        set_language("nb")


@pytest.fixture(scope="module", params=["nb", "en"])
def deck(request: pytest.FixtureRequest) -> Iterator[Report]:
    yield compose(request.param)


@pytest.fixture(scope="module")
def nb() -> Report:
    return compose("nb")


@pytest.fixture(scope="module")
def en() -> Report:
    return compose("en")


def block_texts(block: object) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Bullets):
        return list(block.items)
    if isinstance(block, Facts):
        return [f"{k}: {v}" for k, v in block.items]
    if isinstance(block, Callout):
        return [block.title, block.text]
    if isinstance(block, Badge):
        return [block.label]
    if isinstance(block, TableBlock):
        return [*block.columns, *(c for r in block.rows for c in r), *(b.label for b in block.badges if b)]
    return []


def slide_text(s: Slide, *, notes: bool = False) -> str:
    parts = [s.title, s.subtitle or ""]
    if s.badge is not None:
        parts.append(s.badge.label)
    for sec in s.sections:
        parts.append(sec.title or "")
        for b in sec.blocks:
            parts.extend(block_texts(b))
    if notes:
        parts.append(s.notes)
    return _plain(" ".join(parts))


def slide(report: Report, slide_id: str) -> Slide:
    return next(s for s in report.slides if s.id == slide_id)


def badges(report: Report) -> list[Badge]:
    out = []
    for s in report.slides:
        if s.badge is not None:
            out.append(s.badge)
        for sec in s.sections:
            for b in sec.blocks:
                if isinstance(b, Badge):
                    out.append(b)
                if isinstance(b, TableBlock):
                    out.extend(x for x in b.badges if x)
    return out


# --- 1. data vintage -----------------------------------------------------------------------


def test_charts_and_manifest_say_the_data_vintage_not_the_build_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    db = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(db, clock=lambda: datetime(2001, 1, 20, 9, 30)) as store:
        store.migrate()
        store.import_data(read_package(DEFAULT), actor="test", action="init")
    with Store(db) as store:
        latest = build_report(store, period_id="2026-01", out_dir=tmp_path / "now", formats=("html",))
        then = build_report(
            store, period_id="2026-01", out_dir=tmp_path / "then", formats=("html",), as_of=datetime(2001, 1, 25, 23, 59)
        )
    today = datetime.now().strftime("%d.%m.%Y")
    for result, known in ((latest, "20.01.2001"), (then, "25.01.2001")):
        manifest = json.loads((result.out_dir / "manifest.json").read_text())
        assert manifest["inputs"]["data_as_of"] == known
        for chart in manifest["charts"].values():
            assert f"Data slik de var kjent {known}." in chart["provenance"]
            assert today not in chart["provenance"]
        html = (result.out_dir / "report.html").read_text(encoding="utf-8")
        assert f"kjent {known}" in html and f"kjent {today}" not in html


# --- 2./3. verdicts, trends and one story per indicator --------------------------------------

TR = {
    "nb": {"on_track": "I rute", "trends": ("Økende", "Avtakende", "Stabil", "Blandet"), "illustrative": "illustrasjonsdata"},
    "en": {"on_track": "On track", "trends": ("Increasing", "Decreasing", "Stable", "Mixed"), "illustrative": "illustrative data"},
}
NO_AMBITION = ("beslutningsstotte-helsepersonell", "helsedata-utleveringstid", "hto-effekt", "hto-epj")


def _overview_rows(report: Report) -> list[tuple[str, ...]]:
    table = next(b for sec in slide(report, "overview").sections for b in sec.blocks if isinstance(b, TableBlock))
    return list(table.rows)


def test_indicators_without_an_ambition_get_trend_words_never_on_track(deck: Report) -> None:
    words = TR[deck.lang]
    rows = {r[1]: r for r in _overview_rows(deck)}
    for ind_id in NO_AMBITION:
        s = slide(deck, f"indicator-{ind_id}")
        assert s.badge is not None and s.badge.label.startswith(words["trends"]), (ind_id, s.badge.label)
        assert words["on_track"] not in slide_text(s, notes=True), ind_id
        assert rows[s.title][2].startswith(words["trends"]), rows[s.title]
    # the welfare technology indicator has an ambition: it keeps a status
    assert slide(deck, "indicator-velferdsteknologi").badge.label.startswith(words["on_track"])  # type: ignore[union-attr]


def test_no_projection_from_two_observations_and_growth_words_match_the_sign(deck: Report) -> None:
    for ind_id in ("beslutningsstotte-helsepersonell", "helsedata-utleveringstid"):
        text = slide_text(slide(deck, f"indicator-{ind_id}"), notes=True)
        assert ("Ingen framskrivning: 2 observasjoner" if deck.lang == "nb" else "No projection: 2 observations") in text
        assert "2030" not in text.replace("Framdrift mot 2030", "").replace("Progress towards 2030", ""), text
    falling = slide_text(slide(deck, "indicator-helsedata-utleveringstid"), notes=True)
    falling += deck.charts["chart-helsedata-utleveringstid"].alt
    assert "eksponentiell vekst" not in falling and "compound growth" not in falling


def test_scores_stay_out_of_headlines_and_badges_but_are_in_the_notes(deck: Report) -> None:
    score = re.compile(r"\(-?\d+[,.]\d\)")
    for b in badges(deck):
        assert b.score is None and not score.search(b.label), b.label
    for row in _overview_rows(deck):
        assert not score.search(row[2]), row
    notes = slide(deck, "indicator-velferdsteknologi").notes
    assert ("Poengsum etter metoden: 5,0" if deck.lang == "nb" else "Score by the method: 5.0") in notes


def test_one_story_a_target_at_the_limit_and_the_ambitions_own_deadline(deck: Report) -> None:
    nb = deck.lang == "nb"
    welfare = slide_text(slide(deck, "indicator-velferdsteknologi"))
    assert ("ikke før 2100" if nb else "not reached before 2100") not in welfare
    assert ("99,5 % regnes som nådd 100 %" if nb else "99.5% counts as reaching 100%") in welfare
    pll = slide_text(slide(deck, "indicator-pll-nasjonalt"))
    assert ("innen 2029" if nb else "by 2029") in pll and ("innen 2030" if nb else "by 2030") not in pll
    # on track by the status, the linear projection late: the text says so, also per region
    assert ("Status og framskrivning spriker" if nb else "The status and the projection differ") in pll
    assert re.search(("Helse Nord: I rute" if nb else "Helse Nord: On track") + r"[^:]*2032, " + ("etter fristen 2029" if nb else "after the deadline 2029"), pll)


# --- 4. verdicts marked by their data ------------------------------------------------------


def test_verdicts_on_illustrative_data_are_marked_wherever_they_appear(deck: Report) -> None:
    mark = TR[deck.lang]["illustrative"]
    data = read_package(DEFAULT)
    illustrative = {i for i, t in data.observations.items() if "illustrative" in t.provenance}
    assert {"velferdsteknologi", "pll-nasjonalt", "tillit-helseopplysninger", "hto-effekt"} <= illustrative
    rows = {r[1]: r for r in _overview_rows(deck)}
    for ind_id in illustrative:
        s = slide(deck, f"indicator-{ind_id}")
        if s.badge is not None:
            assert mark in s.badge.label, s.badge.label
        if s.title in rows:
            assert mark in rows[s.title][2], rows[s.title]
            assert rows[s.title][3] == "-" or mark in rows[s.title][3], rows[s.title]
        prefix = "Illustrasjonsdata: " if deck.lang == "nb" else "Illustrative data: "
        paragraphs = [b.text for sec in s.sections for b in sec.blocks if isinstance(b, Paragraph)]
        assert any(p.startswith(prefix) for p in paragraphs), ind_id
        assert prefix in s.notes
    # visibly distinct: an illustrative "on track" is paler than a real one
    real = progress_badge("on_track")
    welfare = slide(deck, "indicator-velferdsteknologi").badge
    assert welfare is not None and welfare.colour != real.colour
    # real data keep the plain verdict
    assert mark not in (slide(deck, "indicator-helsedata-utleveringstid").badge.label)  # type: ignore[union-attr]


def test_the_seeds_own_assessment_is_shown_and_not_silently_contradicted(nb: Report) -> None:
    welfare = slide_text(slide(nb, "indicator-velferdsteknologi"))
    assert "antall brukere som har disse teknologiene fortsatt lav i mange kommuner" in welfare
    assert "Denne statusen er beregnet av illustrasjonsdata og er ingen vurdering" in welfare
    assert "ikke tatt i bruk nok digital hjemmeoppfølging og velferdsteknologi" in slide_text(slide(nb, "goal-1"))
    hto = slide_text(slide(nb, "indicator-hto-effekt"), notes=True)
    assert "ikke er hensiktsmessig å sette et måltall" in hto and "I rute" not in hto


# --- 5. order and headings -----------------------------------------------------------------


def test_overview_in_goal_order_and_slides_in_the_seeds_order(deck: Report) -> None:
    goals = [r[0] for r in _overview_rows(deck)]
    assert goals == sorted(goals), goals
    ids = [s.id.removeprefix("indicator-") for s in deck.slides if s.id.startswith("indicator-")]
    seed = list(read_package(DEFAULT).periods["2026-01"].slide_order)
    assert [i for i in ids if i in seed] == seed
    assert ids.index("pjd-virksomheter") < ids.index("pjd-legevakt")  # the seed's slides 6 and 7
    added = "Lagt til av Veikart" if deck.lang == "nb" else "Added by Veikart"
    for s in deck.slides:
        if s.id.startswith("indicator-"):
            assert (added in (s.subtitle or "")) == (s.id.removeprefix("indicator-") not in seed), s.id


def test_progress_headings_only_over_progress_towards_an_ambition(deck: Report) -> None:
    nb = deck.lang == "nb"
    heading = "Framdrift mot" if nb else "Progress towards"
    with_heading = {
        s.id: next(sec.title for sec in s.sections if sec.area == "side")
        for s in deck.slides
        if s.id.startswith("indicator-")
    }
    assert with_heading["indicator-helsedataservice-soknader"] == ("Framdrift mot 2025" if nb else "Progress towards 2025")
    for ind_id in ("velferdsteknologi", "pll-nasjonalt", "tillit-helseopplysninger", "hto-effekt", "hto-epj"):
        assert with_heading[f"indicator-{ind_id}"].startswith(heading), ind_id  # the seed's own headings
    for ind_id in ("innbyggerundersokelsen-digitale-tjenester", "pjd-legevakt", "pjd-virksomheter", "helsedata-utleveringstid"):
        assert not with_heading[f"indicator-{ind_id}"].startswith(heading), ind_id


def test_indicator_footnotes_are_on_their_slide(nb: Report) -> None:
    epj = slide_text(slide(nb, "indicator-hto-epj"))
    assert "34 kommunene som har tatt i bruk Helseplattformen" in epj and "4 kommunene" in epj


# --- 6. every seed statement on its slide --------------------------------------------------

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "statusrapport-2026-01.md"
if not SEED.exists():  # a worktree beside /work/shared, or the main checkout
    SEED = Path("/work/shared/seed/statusrapport-2026-01.md")
#: the seed's slides (its numbering) and the deck's slides they became
SEED_SLIDES = {
    1: ("goal-1",),
    2: ("indicator-velferdsteknologi",),
    3: ("indicator-innbyggerundersokelsen-digitale-tjenester", "indicator-innbyggerundersokelsen-onskede-tjenester"),
    4: ("goal-2",),
    5: ("indicator-pll-nasjonalt",),
    6: ("indicator-pjd-virksomheter",),
    7: ("indicator-pjd-legevakt",),
    8: ("goal-3",),
    9: ("indicator-helsedataservice-soknader",),
    10: ("goal-4",),
    11: ("indicator-tillit-helseopplysninger",),
    12: ("indicator-pjd-virksomheter-totalt",),
    13: ("goal-5",),
    14: ("indicator-hto-effekt",),
    15: ("indicator-hto-epj",),
}
#: headings whose content the deck restructures rather than quotes: the source and update
#: frequency become facts ("Kilde: ...", "Oppdateres: årlig"), the figure's OCR residue is no
#: statement, the chart heading is checked by test_progress_headings_...
NOT_PROSE = ("Kilde", "Oppdatering", "Figur (OCR-rester)", "Framdrift mot")


def _seed_norm(text: str) -> str:
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("\\", "").replace("**", "").replace("\u00a0", " ").replace("—", "-").replace("–", "-")
    text = re.sub(r"(\d)\s?%", r"\1 %", text)  # 30% and 30 % are one number, in the deck's format
    text = re.sub(r"\s*\(Kilde: [^)]*\)", "", text)  # the source stands in the slide's facts
    return re.sub(r"\s+", " ", text).strip()


def seed_statements() -> list[tuple[int, str, str]]:
    """(seed slide, heading, sentence) for every sentence of the seed's slide text."""
    text = re.sub(r"<!--.*?-->", "", SEED.read_text(encoding="utf-8"), flags=re.DOTALL)
    out = []
    for block in re.split(r"^## ", text, flags=re.MULTILINE)[1:]:
        head, _, body = block.partition("\n")
        m = re.match(r"Slide (\d+): (.*)", head)
        if not m:
            continue
        n = int(m.group(1))
        heading = ""
        skipping = False
        for part in re.split(r"^(#{3,} .*)$", body, flags=re.MULTILINE):
            if part.startswith("###"):
                level = len(part) - len(part.lstrip("#"))
                if level == 3:
                    heading = part.lstrip("#").strip()
                    skipping = heading.startswith(NOT_PROSE)
                continue
            if skipping:
                continue
            for para in re.split(r"\n\s*\n|\n(?=\s*[-*] |\s*\d+\. )", part):
                line = _seed_norm(re.sub(r"^\s*([-*]|\d+\.)\s+", "", para))
                if not line or line.startswith(("Indikator: ", "Diagram (se Figur)")):
                    continue  # "Indikator: «title»" is the slide's title
                for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«(*0-9])", line):
                    out.append((n, heading, sentence.strip()))
    return out


def test_the_seed_file_is_walked_whole() -> None:
    statements = seed_statements()
    assert {n for n, _h, _s in statements} == set(SEED_SLIDES) - {12}  # of slide 12 only its title was read
    assert len(statements) > 150


def test_every_seed_statement_is_on_its_slide_in_the_seeds_wording(nb: Report) -> None:
    texts = {s.id: _seed_norm(slide_text(s)) for s in nb.slides}
    missing = [
        (n, heading, sentence)
        for n, heading, sentence in seed_statements()
        if not any(sentence in texts[sid] for sid in SEED_SLIDES[n])
    ]
    assert not missing, "\n".join(f"slide {n} [{h}]: {s}" for n, h, s in missing)


# --- 7. the English edition ------------------------------------------------------------------


def test_the_english_deck_uses_the_frameworks_english_titles_units_and_labels(en: Report) -> None:
    data = read_package(DEFAULT)
    titled = {i: ind.translations["en"]["title"] for i, ind in data.indicators.items() if "title" in ind.translations.get("en", {})}
    assert len(titled) == len(data.indicators)  # the bundled default has them all
    for ind_id, title in titled.items():
        assert slide(en, f"indicator-{ind_id}").title == title
    overview = [r[1] for r in _overview_rows(en)]
    assert overview and all(t in titled.values() for t in overview)
    freshness = slide_text(slide(en, "freshness"))
    assert "Citizens' trust in the handling of health information" in freshness
    welfare = slide_text(slide(en, "indicator-velferdsteknologi"))
    assert "Unit: share of municipalities" in welfare and "andel av kommunene" not in welfare
    goal1 = slide(en, "goal-1")
    assert goal1.subtitle == data.framework.goals[0].translations["en"]["title"]
    contents = slide_text(slide(en, "contents"))
    assert "quoted in the original language" in contents
    assert "quoted in the original language" not in slide_text(slide(compose("nb"), "contents"))


def test_the_english_charts_name_their_categories_in_english(en: Report, nb: Report) -> None:
    for chart_id, english, norwegian in (
        ("chart-hto-epj", "Annual share", "Årlig andel"),
        ("chart-innbyggerundersokelsen-digitale-tjenester", "Don't know", "Vet ikke"),
        ("chart-pjd-virksomheter", "Nursing home services", "Sykehjemstjenester"),
    ):
        spec_en = json.dumps(en.charts[chart_id].spec, ensure_ascii=False)
        spec_nb = json.dumps(nb.charts[chart_id].spec, ensure_ascii=False)
        assert english in spec_en and norwegian not in spec_en, chart_id
        assert norwegian in spec_nb and english not in spec_nb, chart_id


def test_open_data_records_mark_illustrative_verdicts_and_give_trends_without_an_ambition() -> None:
    from veikart.core.assess import assess_framework
    from veikart.views.records import indicator_record

    data = read_package(DEFAULT)
    results = {r.indicator.id: r for r in assess_framework(data)}
    welfare = indicator_record(results["velferdsteknologi"], illustrative=True)
    assert welfare["status_illustrative"] is True and welfare["status_is_verdict"] is True
    assert welfare["status_label"] == {"nb": "I rute (illustrasjonsdata)", "en": "On track (illustrative data)"}
    assert welfare["explanation"]["nb"].startswith("Illustrasjonsdata: ")
    assert all(s["explanation"]["en"].startswith("Illustrative data: ") for s in welfare["series"])
    delivery = indicator_record(results["helsedata-utleveringstid"])
    assert delivery["status_label"] == {"nb": "Avtakende", "en": "Decreasing"} and delivery["status_is_verdict"] is False
    assert delivery["status_illustrative"] is False and not delivery["explanation"]["nb"].startswith("Illustrasjonsdata")


def test_a_chart_without_projection_or_ambition_ends_at_its_data(nb: Report) -> None:
    spec = json.dumps(nb.charts["chart-helsedata-utleveringstid"].spec)
    domains = re.findall(r'"domain": \[(\d{4})(?:\.\d+)?, (\d{4})(?:\.\d+)?\]', spec)
    assert domains and all(int(b) <= 2026 for _a, b in domains), domains
    assert any(int(b) >= 2030 for _a, b in re.findall(r'"domain": \[(\d{4})(?:\.\d+)?, (\d{4})(?:\.\d+)?\]', json.dumps(nb.charts["chart-velferdsteknologi"].spec)))


# --- 7. layout ---------------------------------------------------------------------------------


def test_the_status_goes_where_it_fits_and_the_illustrative_caveat_beside_the_seeds_words(nb: Report) -> None:
    pll = slide(nb, "indicator-pll-nasjonalt")
    areas = {sec.title: sec.area for sec in pll.sections}
    # the chart column is full with the chart and the ambition: the per-region lines go to the text column
    assert areas["Beregnet status per helseregion"] == "main" and areas["Beregnet status"] == "side"
    note = next(sec for sec in pll.sections if any(isinstance(b, Callout) and b.tone == "warning" for b in sec.blocks))
    assert note.area == "main"
    # the trust slide's long footnotes do not fit under its text: they span the slide
    trust = slide(nb, "indicator-tillit-helseopplysninger")
    assert {sec.title: sec.area for sec in trust.sections}["Fotnoter og lenker"] == "full"
    assert {sec.title: sec.area for sec in slide(nb, "indicator-hto-epj").sections}["Fotnoter og lenker"] == "main"


def test_the_english_deck_writes_english_numbers_quarters_and_no_seed_jargon(en: Report) -> None:
    method = slide_text(slide(en, "method"))
    assert "on track from 95%" in method and "1.5%" in method and "95 %" not in method
    assert "seed report" not in method and "status report of 29 Jan 2026" in method
    freshness = slide_text(slide(en, "freshness"))
    assert "Q4 2025" in freshness and "quarter 4" not in freshness
    nb_fresh = slide_text(slide(compose("nb"), "freshness"))
    assert "4. kvartal 2025" in nb_fresh


def test_the_survey_slide_leads_with_the_seeds_main_message(nb: Report, en: Report) -> None:
    for report, heading in ((nb, "Hovedbudskap"), (en, "Main message")):
        first = slide(report, "indicator-innbyggerundersokelsen-digitale-tjenester").sections[0]
        assert first.title == heading
        assert _plain(first.blocks[0].text) == "Om lag en av fire innbyggere ønsker seg tilgang til journal fra fastlegen"  # type: ignore[union-attr]
    appendix = slide_text(slide(nb, "method"))
    assert "«om lag en av fire»" in appendix and "25 %" not in appendix.split("om lag en av fire")[1][:80]


def test_a_goal_without_an_assessment_groups_by_headline_never_on_track_without_an_ambition() -> None:
    data = read_package(DEFAULT)
    period = data.periods["2026-01"].model_copy(update={"assessments": []})
    set_language("nb")
    report = compose_report(
        ReportInputs(data, period, "nb", partial(chart_for, vintage=None, show_title=False))
    )
    goal3 = slide(report, "goal-3")
    headings = [sec.title for sec in goal3.sections if sec.title]
    assert "Økende (1)" in headings and "Avtakende (1)" in headings, headings
    groups = {sec.title: " ".join(sec.blocks[1].items) for sec in goal3.sections if sec.title}  # type: ignore[union-attr]
    assert "Bruk av beslutningsstøtteverktøy" in groups["Økende (1)"]
    assert "Tid for utlevering av helsedata" in groups["Avtakende (1)"]
    assert not any(h.startswith("I rute") for h in headings)


def test_the_overview_says_when_the_attainment_comes_after_the_deadline(deck: Report) -> None:
    rows = {r[1]: r for r in _overview_rows(deck)}
    pll = rows[slide(deck, "indicator-pll-nasjonalt").title]
    welfare = rows[slide(deck, "indicator-velferdsteknologi").title]
    late = "etter fristen" if deck.lang == "nb" else "after the deadline"
    assert pll[5] == f"2030, {late}"  # due December 2029
    assert welfare[5] == f"2037, {late}"  # due 2030, reached (99.5 %) in 2037
