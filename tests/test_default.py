"""The bundled default against the seed: every slide has its counterpart, every stated number is
stored with provenance 'seed', every ambition as stated, and illustrative data are marked."""

from __future__ import annotations

import re
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from veikart.core.dataset import FrameworkData
from veikart.core.model import AmbitionState, IndicatorKind, Provenance
from veikart.package.reader import read_package

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "statusrapport-2026-01.md"
DEFAULT = Path(str(files("veikart") / "data" / "default"))

# Slide number -> the counterpart in the bundled default: ("assessment", goal) or ("indicator", id).
COUNTERPARTS: dict[int, tuple[str, str] | tuple[str, str, str]] = {
    1: ("assessment", "1"),
    2: ("indicator", "velferdsteknologi"),
    3: ("indicator", "innbyggerundersokelsen-digitale-tjenester", "innbyggerundersokelsen-onskede-tjenester"),
    4: ("assessment", "2"),
    5: ("indicator", "pll-nasjonalt"),
    6: ("indicator", "pjd-virksomheter"),
    7: ("indicator", "pjd-legevakt"),
    8: ("assessment", "3"),
    9: ("indicator", "helsedataservice-soknader"),
    10: ("assessment", "4"),
    11: ("indicator", "tillit-helseopplysninger"),
    12: ("indicator", "pjd-virksomheter-totalt"),
    13: ("assessment", "5"),
    14: ("indicator", "hto-effekt"),
    15: ("indicator", "hto-epj"),
}


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.exists():
        if IN_CI:
            pytest.fail(f"the seed is missing at {SEED}")
        pytest.skip(f"the seed is not at {SEED}; skipped outside CI")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def default() -> FrameworkData:
    return read_package(DEFAULT)


def _slides(text: str) -> dict[int, tuple[str, str]]:
    parts = re.split(r"^## Slide (\d+): (.*)$", text, flags=re.M)
    return {int(parts[i]): (parts[i + 1].strip(), parts[i + 2]) for i in range(1, len(parts) - 1, 3)}


def _section_items(body: str, heading: str) -> int:
    """Top-level list items under '### heading' (sub-bullets and comments not counted)."""
    m = re.search(rf"^### {re.escape(heading)}\s*$(.*?)(?=^### |\Z)", body, flags=re.M | re.S)
    if not m:
        return 0
    return len(re.findall(r"^(?:- |\d+\. )", m.group(1), flags=re.M))


def test_every_slide_of_the_seed_has_its_counterpart(seed_text: str, default: FrameworkData) -> None:
    slides = _slides(seed_text)
    assert sorted(slides) == list(range(1, 16)), "the seed has 15 slides"
    period = default.periods["2026-01"]
    assessments = {a.goal: a for a in period.assessments}
    for number, (title, body) in slides.items():
        kind, *ids = COUNTERPARTS[number]
        if kind == "assessment":
            assert title == f"Oppsummering status mål {ids[0]}"
            a = assessments[ids[0]]
            for heading, items in (
                ("Overordnet status", a.summary),
                ("Positive hendelser", a.positive_events),
                ("Utfordringer", a.challenges),
                ("Viktige strategiske spørsmål", a.strategic_questions),
            ):
                assert len(items) == _section_items(body, heading), (number, heading)
            assert a.selected, number
            # Every roadmap link of the slide is kept.
            links = set(re.findall(r"https://\S+", body.split("### Lenker")[-1])) if "### Lenker" in body else set()
            subgoal_urls = {
                s.url for g in default.framework.goals for s in g.subgoals if s.url
            }
            for url in links:
                assert url in a.links or url in subgoal_urls or url in " ".join(a.footnotes), (number, url)
        else:
            for ind_id in ids:
                ind = default.indicators[ind_id]
                assert ind.definition
                if "### Vurdering av ambisjon" in body:
                    assert ind.ambition_assessment, ind_id


def test_goals_carry_their_official_titles(default: FrameworkData) -> None:
    assert [(g.id, g.title) for g in default.framework.goals] == [
        ("1", "Aktiv medvirkning i egen og næres helse"),
        ("2", "Enklere arbeidshverdag"),
        ("3", "Helsedata til fornying og forbedring"),
        ("4", "Tilgjengelig informasjon og styrket samhandling"),
        ("5", "Samarbeid og virkemidler som styrker gjennomføringskraft"),
    ]
    assert default.framework.base_year == 2023 and default.framework.horizon_year == 2030


def test_every_subgoal_of_the_seed_is_there_with_its_url(seed_text: str, default: FrameworkData) -> None:
    codes = set(re.findall(r"veikart-for-nasjonal-e-helsestrategi/(\d[a-z])\b", seed_text))
    stored = {s.code.lower(): s for g in default.framework.goals for s in g.subgoals}
    assert codes == set(stored)
    for code, sub in stored.items():
        assert sub.url and sub.url.endswith("/" + code)


def _seed_value(data: FrameworkData, ind_id: str, period: str) -> float | None:
    t = data.observations[ind_id]
    for i in range(len(t)):
        if t.periods[i] == period and not any(t.keys[i]):
            assert t.provenance[i] == Provenance.SEED.value, (ind_id, period)
            return t.values[i]
    return None


def test_numbers_stated_in_the_seed_are_stored_as_seed(default: FrameworkData) -> None:
    assert _seed_value(default, "beslutningsstotte-helsepersonell", "2024") == 10
    assert _seed_value(default, "beslutningsstotte-helsepersonell", "2025") == 14
    assert _seed_value(default, "ki-dokumentasjonsassistenter-fastleger", "2025") == 40
    assert _seed_value(default, "helsedata-utleveringstid", "2024") == 159
    assert _seed_value(default, "helsedata-utleveringstid", "2025") == 106
    assert _seed_value(default, "pjd-legevakt", "2025") == 39
    figures = {(kf.indicator, kf.value) for kf in default.periods["2026-01"].key_figures if kf.provenance == "seed"}
    for expected in [
        ("pjd-legevakt", 32),
        ("hto-epj", 34),
        ("hto-epj", 4),
        ("hto-effekt", 15),
        ("ki-dokumentasjonsassistenter-fastleger", 40),
        ("helsedata-utleveringstid", 159),
        ("helsedata-utleveringstid", 106),
    ]:
        assert expected in figures, expected
    sample_sizes = {1500, 1512, 1601, 1506, 1581, 542, 548, 606}
    assert sample_sizes <= {kf.value for kf in default.periods["2026-01"].key_figures}
    survey = default.observations["innbyggerundersokelsen-digitale-tjenester"]
    assert {survey.n[i] for i in range(len(survey))} == {1500, 1512, 1601, 1506, 1581}


def test_uncertain_readings_are_never_stored_as_readings(default: FrameworkData) -> None:
    raw = {"2021": 26, "2022": 24, "2023": 20, "2024": 19, "2025": 21}
    for kf in default.periods["2026-01"].key_figures:
        if kf.period in raw and kf.value == raw[kf.period] and kf.indicator == "innbyggerundersokelsen-digitale-tjenester":
            assert kf.uncertain, kf.id
    survey = default.observations["innbyggerundersokelsen-digitale-tjenester"]
    for i in range(len(survey)):
        assert survey.provenance[i] == "illustrative"


def test_ambitions_as_stated(default: FrameworkData) -> None:
    wt = default.indicators["velferdsteknologi"].ambitions
    assert [(a.value, a.deadline, a.state, a.scope) for a in wt] == [(100, date(2030, 12, 31), AmbitionState.PROPOSED, {})]
    assert "diskusjon" in (wt[0].rationale or "")
    pll = default.indicators["pll-nasjonalt"]
    scopes = {tuple(sorted(a.scope.items())): a for a in pll.ambitions}
    regions = {v.code for d in pll.dimensions if d.id == "region" for v in d.values}
    assert len(regions) == 4
    assert set(scopes) == {()} | {(("region", r),) for r in regions}
    assert all(a.value == 30 and a.deadline == date(2029, 12, 31) for a in pll.ambitions)
    trust = default.indicators["tillit-helseopplysninger"].ambitions
    assert [(a.value, a.good_level, a.deadline.year) for a in trust] == [(75, 70, 2030)]
    hds = default.indicators["helsedataservice-soknader"]
    assert hds.projection_only and not hds.ambitions
    for hto in ("hto-effekt", "hto-epj"):
        assert not default.indicators[hto].ambitions


def test_statistics_have_no_ambition_and_surveys_their_answers(default: FrameworkData) -> None:
    for ind in default.indicators.values():
        if ind.kind is IndicatorKind.STATISTIC:
            assert not ind.ambitions
    assert "under utvikling" in (default.indicators["pjd-legevakt"].status_note or "")
    several = default.indicators["innbyggerundersokelsen-onskede-tjenester"]
    assert several.survey is not None and several.survey.multiple_answers
    answers = default.indicators["innbyggerundersokelsen-digitale-tjenester"]
    assert answers.survey is not None and len(next(d for d in answers.dimensions if d.id == answers.survey.answer_dimension).values) == 4


def test_illustrative_series_agree_with_the_text(default: FrameworkData) -> None:
    # PJD consumers more than doubled during 2025; Helse Midt-Norge not yet delivering.
    t = default.observations["pjd-virksomheter-totalt"]
    totals: dict[str, float] = {}
    midt: list[float] = []
    for i in range(len(t)):
        totals[t.periods[i]] = totals.get(t.periods[i], 0) + (t.values[i] or 0)
        if "helse-midt-norge" in t.keys[i]:
            midt.append(t.values[i] or 0)
        assert t.provenance[i] == "illustrative"
    assert totals["2025-Q4"] > 2 * totals["2024-Q4"]
    assert midt and all(v == 0 for v in midt)
    # The welfare-technology share rises.
    wt = default.observations["velferdsteknologi"]
    values = [v for _, v in sorted(zip(wt.periods, wt.values, strict=True))]
    assert values == sorted(values) and values[-1] < 100


def test_every_illustrative_row_says_so(default: FrameworkData) -> None:
    for ind_id, t in default.observations.items():
        for i in range(len(t)):
            assert t.provenance[i] in {"seed", "illustrative", "published"}, ind_id
            if t.provenance[i] == "published":
                assert t.source[i], ind_id
