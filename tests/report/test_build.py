"""`veikart report` on the bundled default: the council deck in three formats, checked against
the seed; reproducible bytes; --as-of; --lang en; frameworks without ambitions or surveys."""

from __future__ import annotations

import copy
import json
import re
import subprocess
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest
from pptx import Presentation

from tests.conftest import require_executable
from tests.test_cli import veikart
from veikart.core.model import IndicatorKind
from veikart.package.reader import read_package
from veikart.store.store import Store

DEFAULT = Path(str(files("veikart") / "data" / "default"))
EPOCH = "1769644800"  # 29.01.2026 00:00 UTC


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _plain(md: str) -> str:
    """Markdown-lite as the reader sees it: no ** or link syntax."""
    md = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", md)
    return _norm(md.replace("**", "").replace("\\", ""))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("report")
    db = f"sqlite:///{root / 'store.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
    mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
    assert veikart("--db", db, "init")[0] == 0
    code, out, err = veikart("--db", db, "report", "--period", "2026-01", "--out", str(root / "out"), "--lang", "nb")
    assert code == 0, err
    yield root
    mp.undo()


def _pptx_texts(path: Path) -> list[str]:
    prs = Presentation(str(path))
    slides = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(c.text for r in shape.table.rows for c in r.cells)
        slides.append(_norm(" ".join(parts)))
    return slides


def test_all_three_formats_and_the_manifest(built: Path) -> None:
    out = built / "out"
    for name in ("report.pptx", "report.pdf", "report.html", "manifest.json"):
        assert (out / name).stat().st_size > 1000, name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["inputs"]["framework"] == "e-helse-veikart" and manifest["inputs"]["period"] == "2026-01"
    assert manifest["inputs"]["data_vintage"]
    assert len(manifest["code"]["source_sha256"]) == 64
    assert manifest["source_date_epoch"] == int(EPOCH)
    import hashlib

    for name, entry in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == entry["sha256"]
    assert manifest["illustrative_data"] is True


def test_pptx_holds_every_goal_summary_and_ambition_of_the_seed(built: Path) -> None:
    prs = Presentation(str(built / "out" / "report.pptx"))
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    texts = _pptx_texts(built / "out" / "report.pptx")
    everything = " ".join(texts)
    data = read_package(DEFAULT)
    for a in data.periods["2026-01"].assessments:
        assert any(f"Oppsummering status mål {a.goal}" in t for t in texts), a.goal
        for item in [*a.positive_events, *a.challenges, *a.strategic_questions, *a.summary]:
            first_line = _plain(item.split("\n")[0])
            assert first_line in everything, first_line[:60]
    for ind in data.indicators.values():
        assert _norm(ind.title) in everything, ind.id
        for amb in ind.ambitions:
            if not amb.scope and amb.label:
                assert _norm(amb.label) in everything, amb.label
    assert "Ikke foreslått ambisjonsnivå, kun illustrert framskrivning" in everything
    assert "Framdrift mot 2030" in everything and "Om indikatoren" in everything
    assert "Vurdering av ambisjon" in everything and "Foreslått ambisjon" in everything
    assert "Statistikken er under utvikling" in everything
    assert "Illustrasjonsdata - ikke offisielle tall" in everything
    for extra in ("Siden forrige rapport", "Oversikt over indikatorene", "Metode og kilder"):
        assert extra in everything, extra
    # Speaker notes carry the explanations.
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert any("Andelen" in n for n in notes)
    # Footer with date and page number, as in the seed.
    assert all("29.01.2026" in t for t in texts[1:])


def test_pdf_text_and_pages_not_blank(built: Path) -> None:
    pdftotext = require_executable("pdftotext", package="poppler-utils")
    pdftoppm = require_executable("pdftoppm", package="poppler-utils")
    pdf = built / "out" / "report.pdf"
    text = _norm(subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, check=True, text=True).stdout)
    for needle in ("Oppsummering status mål 1", "Bruk av velferdsteknologi i kommunene", "Framdrift mot 2030",
                   "100 % innen 2030", "Innbyggers tillit til håndtering av helseopplysninger", "Metode og kilder"):
        assert needle in text, needle
    pages = built / "pages"
    pages.mkdir()
    subprocess.run([pdftoppm, "-r", "12", "-gray", str(pdf), str(pages / "p")], check=True)
    images = sorted(pages.glob("*.pgm"))
    assert len(images) >= 26
    for img in images:
        raw = img.read_bytes()
        header_end = raw.index(b"255\n") + 4
        pixels = raw[header_end:]
        assert len(set(pixels)) > 2, f"{img.name} is blank"


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang") or ""
        for key in ("src", "data", "poster"):
            if a.get(key):
                self.urls.append(a[key] or "")
        if tag == "link" and a.get("href"):
            self.urls.append(a["href"] or "")


def test_html_loads_nothing_from_outside(built: Path) -> None:
    html = (built / "out" / "report.html").read_text(encoding="utf-8")
    p = _Loads()
    p.feed(html)
    assert p.lang == "nb"
    assert all(u.startswith(("data:", "#")) for u in p.urls), [u for u in p.urls if not u.startswith("data:")][:5]
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html)
    assert "@import" not in html
    assert html.count("vega-embed") >= 1 and "Oppsummering status mål 5" in html


def test_same_inputs_and_epoch_give_the_same_bytes(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("XDG_CACHE_HOME", str(built / "cache"))
    db = f"sqlite:///{built / 'store.db'}"
    assert veikart("--db", db, "report", "--period", "2026-01", "--out", str(built / "again"), "--lang", "nb")[0] == 0
    for name in ("report.pptx", "report.pdf", "report.html", "manifest.json"):
        assert (built / "again" / name).read_bytes() == (built / "out" / name).read_bytes(), name


def test_english_and_as_of(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(built / "cache"))
    db = f"sqlite:///{built / 'store.db'}"
    code, _, err = veikart("--db", db, "report", "--period", "2026-01", "--out", str(built / "en"), "--format", "html", "--lang", "en")
    assert code == 0, err
    html = (built / "en" / "report.html").read_text(encoding="utf-8")
    assert 'lang="en"' in html and "Status summary, goal 1" in html and "Progress towards 2030" in html
    # --as-of: revise a value, rebuild as known before the revision: the old status comes back.
    with Store(db) as store:
        before = datetime.utcnow()
        data = store.load()
        revised = copy.deepcopy(data)
        t = revised.observations["tillit-helseopplysninger"]
        t.values[t.periods.index("2025")] = 80.0
        store.import_data(revised, actor="test")
    code, _, err = veikart("--db", db, "report", "--period", "2026-01", "--out", str(built / "now"), "--format", "html")
    assert code == 0, err
    when = before.strftime("%Y-%m-%dT%H:%M:%S.%f")
    code, _, err = veikart("--db", db, "report", "--period", "2026-01", "--out", str(built / "then"), "--format", "html", "--as-of", when)
    assert code == 0, err
    now = json.loads((built / "now" / "manifest.json").read_text())
    then = json.loads((built / "then" / "manifest.json").read_text())
    assert now["statuses"]["tillit-helseopplysninger"] == "target_achieved"
    assert then["statuses"]["tillit-helseopplysninger"] == "limited_progress"
    assert then["inputs"]["as_of"] is not None


def test_a_framework_without_ambitions_or_surveys_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data = read_package(DEFAULT)
    for ind_id, ind in list(data.indicators.items()):
        if ind.survey is not None or ind.kind is IndicatorKind.STATISTIC:
            del data.indicators[ind_id]
            data.observations.pop(ind_id, None)
        else:
            data.indicators[ind_id] = ind.model_copy(update={"ambitions": []})
    per = data.periods["2026-01"]
    keep = set(data.indicators)
    data.periods["2026-01"] = per.model_copy(
        update={
            "key_figures": [k for k in per.key_figures if k.indicator in keep or k.indicator is None],
            "assessments": [
                a.model_copy(update={"selected": [s for s in a.selected if s.indicator is None or s.indicator in keep]})
                for a in per.assessments
            ],
        }
    )
    db = f"sqlite:///{tmp_path / 's.db'}"
    with Store(db) as store:
        store.migrate()
        store.import_data(data, actor="t")
    code, _, err = veikart("--db", db, "report", "--out", str(tmp_path / "out"), "--format", "html,pptx")
    assert code == 0, err
    assert (tmp_path / "out" / "report.pptx").exists()


def test_bad_report_options_are_user_errors(built: Path) -> None:
    db = f"sqlite:///{built / 'store.db'}"
    code, _, err = veikart("--db", db, "report", "--out", str(built / "x"), "--format", "docx")
    assert code == 1 and "docx" in err
    code, _, err = veikart("--db", db, "report", "--out", str(built / "x"), "--period", "1999-01")
    assert code == 1 and "2026-01" in err
    code, _, err = veikart("--db", db, "report", "--out", str(built / "x"), "--template", str(built / "nope.pptx"))
    assert code == 1 and "nope.pptx" in err


def test_outputs_are_readable_by_others(built: Path) -> None:
    import os
    import stat

    umask = os.umask(0)
    os.umask(umask)
    for name in ("report.pptx", "report.pdf", "report.html", "manifest.json"):
        mode = stat.S_IMODE((built / "out" / name).stat().st_mode)
        assert mode == 0o666 & ~umask, (name, oct(mode))


def test_the_pptx_made_beside_the_pdf_is_the_pptx_made_alone(
    built: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """With several formats the PPTX is made in a forked child while the PDF is laid out: the
    same bytes as made alone in this process, and the child's warnings are logged here."""
    import logging

    from veikart.report import pdf as pdf_module
    from veikart.report.build import build_report

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("XDG_CACHE_HOME", str(built / "cache"))
    store = Store(f"sqlite:///{built / 'store.db'}")
    with caplog.at_level(logging.WARNING):
        build_report(store, period_id="2026-01", out_dir=built / "beside", formats=("pptx", "pdf"))
    alone = build_report(store, period_id="2026-01", out_dir=built / "alone", formats=("pptx",))
    assert (built / "beside" / "report.pptx").read_bytes() == (built / "alone" / "report.pptx").read_bytes()
    assert alone.files.keys() == {"pptx", "manifest"}
    # the densest slide of the default needs less than 9 pt: python-pptx's renderer says so
    assert any("does not fit" in r.getMessage() for r in caplog.records if r.name.startswith("veikart.report"))
    assert not pdf_module._WARM  # the layout workers started ahead were taken, or stopped


def test_layout_workers_started_ahead_are_taken_or_stopped(tmp_path: Path) -> None:
    from veikart.report import pdf as pdf_module

    pdf_module.warm_up(workers=2)
    pool = pdf_module._WARM.get("pool")
    assert pool is not None and pdf_module._WARM["workers"] == 2
    pdf_module.warm_up(workers=2)  # a second call starts nothing more
    assert pdf_module._WARM.get("pool") is pool
    pdf_module.cool_down()
    assert not pdf_module._WARM
    with pytest.raises(RuntimeError):  # shut down
        pool.submit(int, "1")


def test_a_failing_pdf_stops_the_build_and_its_pptx_child(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from veikart.report import build as build_module
    from veikart.report import pdf as pdf_module
    from veikart.report.build import build_report

    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("layout failed")

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("XDG_CACHE_HOME", str(built / "cache"))
    monkeypatch.setattr(pdf_module, "render_pdf", broken)
    with pytest.raises(RuntimeError, match="layout failed"):
        build_report(Store(f"sqlite:///{built / 'store.db'}"), period_id="2026-01", out_dir=built / "broken")
    assert not build_module._BESIDE and not pdf_module._WARM
    assert not (built / "broken" / "report.pptx").exists()  # nothing half written
