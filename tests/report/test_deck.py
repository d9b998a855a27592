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
    with Store(db, clock=lambda: datetime(2026, 1, 20, 9, 30)) as store:
        store.migrate()
        store.import_data(read_package(DEFAULT), actor="test", action="init")
    with Store(db) as store:
        latest = build_report(store, period_id="2026-01", out_dir=tmp_path / "now", formats=("html",))
        then = build_report(
            store, period_id="2026-01", out_dir=tmp_path / "then", formats=("html",), as_of=datetime(2026, 1, 25, 23, 59)
        )
    today = datetime.now().strftime("%d.%m.%Y")
    for result, known in ((latest, "20.01.2026"), (then, "25.01.2026")):
        manifest = json.loads((result.out_dir / "manifest.json").read_text())
        assert manifest["inputs"]["data_as_of"] == known
        for chart in manifest["charts"].values():
            assert f"Data slik de var kjent {known}." in chart["provenance"]
            assert today not in chart["provenance"]
        html = (result.out_dir / "report.html").read_text(encoding="utf-8")
        assert f"kjent {known}" in html and f"kjent {today}" not in html
