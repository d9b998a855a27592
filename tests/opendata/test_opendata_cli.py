"""`veikart export-data` as a user runs it, from the store (SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.opendata.conftest import published_files
from tests.test_cli import veikart
from veikart.store.store import Store


@pytest.fixture
def db(package: Path, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(url) as s:
        s.migrate()
    code, _out, err = veikart("--db", url, "import", str(package))
    assert code == 0, err
    return url


def _summary(*args: str) -> dict:
    code, out, err = veikart(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_export_data_writes_the_open_data(db: str, tmp_path: Path) -> None:
    out = tmp_path / "open"
    code, stdout, err = veikart("--db", db, "export-data", str(out))
    assert code == 0, err
    assert "2 indicators" in stdout and "2 rebuilt" in stdout
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in index["indicators"]] == ["andel-digital", "ventetid"]
    assert index["source"]["kind"] == "store" and index["source"]["framework"] == "test-plan"
    assert index["vintage"] and all(e["vintage"] for e in index["indicators"])
    doc = json.loads((out / "indicators" / "ventetid.json").read_text(encoding="utf-8"))
    assert "vega-lite" in doc["chart"]["spec"]["$schema"] and doc["progress"]["indicator"] == "ventetid"
    assert "Data as known on" in doc["chart"]["provenance"]


def test_rerun_after_a_reimport_rebuilds_only_the_changed_indicator(
    db: str, package: Path, tmp_path: Path
) -> None:
    out = tmp_path / "open"
    first = _summary("--db", db, "export-data", str(out))
    assert sorted(first["rebuilt"]) == ["andel-digital", "ventetid"]
    andel = (out / "indicators" / "andel-digital.json").stat()

    assert _summary("--db", db, "export-data", str(out))["rebuilt"] == []

    csv = package / "data" / "ventetid.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("2024-Q3,27", "2024-Q3,26"), encoding="utf-8")
    code, _o, err = veikart("--db", db, "import", str(package))
    assert code == 0, err
    again = _summary("--db", db, "export-data", str(out))
    # each indicator's figures are dated by its own last change, so the other one stays as it was
    assert again["rebuilt"] == ["ventetid"] and again["reused"] == 1
    after = (out / "indicators" / "andel-digital.json").stat()
    assert (after.st_ino, after.st_mtime_ns) == (andel.st_ino, andel.st_mtime_ns)
    assert "2024-Q3,26" in (out / "data" / "ventetid.csv").read_text(encoding="utf-8")

    fresh = tmp_path / "fresh"
    assert veikart("--db", db, "export-data", str(fresh), "--rebuild")[0] == 0
    assert published_files(out) == published_files(fresh)


def test_as_of_exports_what_was_known_then(db: str, tmp_path: Path) -> None:
    code, _out, err = veikart("--db", db, "export-data", str(tmp_path / "old"), "--as-of", "2000-01-01")
    assert code == 1 and "not yet known" in err
    assert not (tmp_path / "old").exists()
    code, _out, err = veikart("--db", db, "export-data", str(tmp_path / "x"), "--as-of", "yesterday")
    assert code == 1 and "not a date" in err


def test_user_errors_are_messages_not_tracebacks(db: str, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep", encoding="utf-8")
    code, _out, err = veikart("--db", db, "export-data", str(mine))
    assert code == 1 and "not an open-data export" in err
    code, _out, err = veikart(
        "--db",
        db,
        "export-data",
        str(tmp_path / "o"),
        "--from-opensdg",
        str(tmp_path),
        "--as-of",
        "2025-01-01",
    )
    assert code == 1 and "--from-opensdg" in err
    code, _out, err = veikart("export-data", str(tmp_path / "o"), "--from-opensdg", str(tmp_path / "nothing"))
    assert code == 1 and "is not a folder" in err
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    code, _out, err = veikart("--db", empty, "export-data", str(tmp_path / "o"))
    assert code == 1 and "veikart init" in err
