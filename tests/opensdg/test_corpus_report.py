"""The whole chain on the UK Open SDG corpus: import, progress on every indicator whose metadata
asks for it (and on all with a default direction), and `veikart report` without period
assessments (goal pages by progress status, the overview table)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.opensdg.test_importer import CORPUS, IN_CI
from tests.test_cli import veikart


@pytest.fixture(scope="module")
def store_with_corpus(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not CORPUS.is_dir():
        if IN_CI:
            pytest.fail(f"the Open SDG corpus is missing at {CORPUS} (CI=true: it may not be skipped)")
        pytest.skip(f"the Open SDG corpus is missing at {CORPUS}; skipped outside CI")
    root = tmp_path_factory.mktemp("corpus")
    db = f"sqlite:///{root / 's.db'}"
    assert veikart("--db", db, "init")[0] == 0
    code, _, err = veikart(
        "--db", db, "import-opensdg", str(CORPUS), "--framework-id", "opensdg-uk", "--default-direction", "higher_is_better"
    )
    assert code == 0, err[-2000:]
    return db


def test_progress_runs_on_the_corpus(store_with_corpus: str) -> None:
    code, out, err = veikart("--db", store_with_corpus, "progress", "--framework", "opensdg-uk", "--json")
    assert code == 0, err
    records = json.loads(out)
    assert len(records) == 277
    assessed = [r for r in records if r["status"] not in ("not_assessed", "unable_to_assess")]
    assert len(assessed) > 100  # with a direction, every indicator with enough data gets a status


def test_report_builds_on_the_corpus(store_with_corpus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, _, err = veikart(
        "--db", store_with_corpus, "report", "--framework", "opensdg-uk", "--out", str(tmp_path / "out"),
        "--format", "html", "--lang", "en",
    )
    assert code == 0, err[-2000:]
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    kinds = [s["kind"] for s in manifest["slides"]]
    assert kinds.count("goal") == 17 and "overview" in kinds
    assert len(manifest["statuses"]) == 277
    # Goal pages without an assessment group their indicators by headline: those without an
    # ambition (here all that are assessed) by their trend in words, never "On track"
    assert "Status summary, goal 3" in html and ("Increasing (" in html or "Decreasing (" in html)
    assert "On track (" not in html
    assert "Overview of the indicators" in html
