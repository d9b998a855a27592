"""`veikart export-data --from-opensdg`: the repository is read again only where it changed, and
the result is always what a full import and build would give."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.opendata.conftest import published_files
from tests.test_cli import veikart
from veikart.opendata.opensdg_source import read_opensdg


def _export(repo: Path, out: Path, *extra: str) -> dict:
    code, stdout, err = veikart("export-data", str(out), "--from-opensdg", str(repo), "--json", *extra)
    assert code == 0, err
    return json.loads(stdout)


def _fresh(repo: Path, tmp_path: Path, name: str = "fresh") -> dict[str, bytes]:
    """A full import and build of the repository as it is now, in a new folder."""
    out = tmp_path / name
    summary = _export(repo, out)
    assert summary["import"]["mode"] == "full"
    return published_files(out)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_first_export_imports_the_repository(opensdg_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "open"
    summary = _export(opensdg_repo, out, "--default-direction", "higher_is_better")
    assert summary["import"]["mode"] == "full" and summary["import"]["why_full"] == "no previous export"
    assert summary["rebuilt"] == ["1-1-1", "1-2-1", "3-1-1"]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert index["source"] == {
        "kind": "opensdg",
        "repository": "sdg-data",
        "default_direction": "higher_is_better",
    }
    ind = json.loads((out / "indicators" / "1-1-1.json").read_text(encoding="utf-8"))
    assert ind["metadata"]["ambitions"][0]["value"] == 5 and ind["progress"]["status"] != "not_assessed"
    fw = json.loads((out / "framework.json").read_text(encoding="utf-8"))["framework"]
    goal1 = next(g for g in fw["goals"] if g["id"] == "1")
    assert goal1["indicators"] == ["1-1-1", "1-2-1"]


def test_a_changed_csv_reimports_only_its_indicator(opensdg_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "open"
    _export(opensdg_repo, out)
    keep = (out / "indicators" / "1-1-1.json").stat()
    _edit(opensdg_repo / "data" / "indicator_1-2-1.csv", "2022,North,57", "2022,North,58.5")
    summary = _export(opensdg_repo, out)
    assert summary["import"] == {
        "mode": "changed",
        "why_full": "",
        "reread": ["data/indicator_1-2-1.csv"],
        "problems": 0,
    }
    assert summary["rebuilt"] == ["1-2-1"] and summary["reused"] == 2
    after = (out / "indicators" / "1-1-1.json").stat()
    assert (after.st_ino, after.st_mtime_ns) == (keep.st_ino, keep.st_mtime_ns)
    assert "58.5" in (out / "data" / "1-2-1.csv").read_text(encoding="utf-8")
    assert published_files(out) == _fresh(opensdg_repo, tmp_path)


def test_an_unchanged_repository_is_not_imported(opensdg_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "open"
    _export(opensdg_repo, out)
    before = published_files(out)
    summary = _export(opensdg_repo, out)
    assert summary["import"]["mode"] == "unchanged"
    assert summary["rebuilt"] == [] and summary["written"] == []
    assert published_files(out) == before


def test_an_edit_that_keeps_size_and_time_is_still_seen(opensdg_repo: Path, tmp_path: Path) -> None:
    """A file changed within moments of the last scan, same size, time put back: its time cannot
    vouch for it, so it is hashed (git's "racy" files)."""
    out = tmp_path / "open"
    _export(opensdg_repo, out)
    path = opensdg_repo / "data" / "indicator_3-1-1.csv"
    st = path.stat()
    _edit(path, "2020,92.5", "2020,92.6")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size
    summary = _export(opensdg_repo, out)
    assert summary["import"]["mode"] == "changed" and summary["rebuilt"] == ["3-1-1"]


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("meta", "meta/1-2-1.md changed"),
        ("config", "config_data.yml changed"),
        ("added", "files added or removed"),
        ("removed", "files added or removed"),
    ],
)
def test_other_changes_import_the_whole_repository(
    opensdg_repo: Path, tmp_path: Path, change: str, why: str
) -> None:
    out = tmp_path / "open"
    _export(opensdg_repo, out)
    if change == "meta":
        _edit(opensdg_repo / "meta" / "1-2-1.md", "Households", "Households in poverty")
    elif change == "config":
        _edit(opensdg_repo / "config_data.yml", "Test Office", "Other Office")
    elif change == "added":
        (opensdg_repo / "data" / "indicator_3-2-1.csv").write_text(
            "Year,Value\n2020,1\n2021,2\n", encoding="utf-8"
        )
    else:
        (opensdg_repo / "data" / "indicator_3-1-1.csv").unlink()
    summary = _export(opensdg_repo, out)
    assert summary["import"]["mode"] == "full" and summary["import"]["why_full"] == why
    assert published_files(out) == _fresh(opensdg_repo, tmp_path)
    if change == "meta":
        assert summary["rebuilt"] == ["1-2-1"]  # imported whole, still only one indicator rebuilt


def test_other_options_import_the_whole_repository(opensdg_repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "open"
    _export(opensdg_repo, out)
    summary = _export(opensdg_repo, out, "--default-direction", "higher_is_better")
    assert summary["import"]["why_full"] == "import options changed"


def test_a_changed_deadline_imports_the_whole_repository(tmp_path: Path) -> None:
    """A data file can change the framework's horizon only through the ambitions it keeps: a
    target for a series the data no longer hold is dropped, so everything is imported again."""
    from tests.opendata.conftest import write_opensdg_repo

    repo = write_opensdg_repo(tmp_path / "sdg-data")
    meta = repo / "meta" / "1-1-1.md"
    _edit(meta, "    target: 5\n", "    target: 5\n    target_year: 2035\n    series: Female\n")
    csv = repo / "data" / "indicator_1-1-1.csv"
    _edit(csv, "Year,Sex,Units,Value", "Year,Series,Units,Value")
    out = tmp_path / "open"
    first = _export(repo, out)
    assert (
        json.loads((out / "framework.json").read_text(encoding="utf-8"))["framework"]["horizon_year"] == 2035
    )
    csv.write_text(csv.read_text(encoding="utf-8").replace(",Female,", ",Women,"), encoding="utf-8")
    summary = _export(repo, out)
    assert first["import"]["mode"] == "full"
    assert (
        summary["import"]["mode"] == "full"
        and summary["import"]["why_full"] == "the ambitions of 1-1-1 changed"
    )
    assert (
        json.loads((out / "framework.json").read_text(encoding="utf-8"))["framework"]["horizon_year"] == 2030
    )
    assert published_files(out) == _fresh(repo, tmp_path)


def test_a_previous_export_missing_files_falls_back_to_a_full_import(
    opensdg_repo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "open"
    _export(opensdg_repo, out)
    (out / "indicators" / "3-1-1.json").unlink()
    _edit(opensdg_repo / "data" / "indicator_1-2-1.csv", "2016,,101", "2016,,100.5")
    summary = _export(opensdg_repo, out)
    assert sorted(summary["rebuilt"]) == ["1-2-1", "3-1-1"]
    assert published_files(out) == _fresh(opensdg_repo, tmp_path)


def test_the_folder_name_not_its_place_matters(opensdg_repo: Path, tmp_path: Path) -> None:
    """Moving the repository (same folder name, same files) keeps the cache valid."""
    out = tmp_path / "open"
    _export(opensdg_repo, out)
    moved = tmp_path / "elsewhere" / "sdg-data"
    shutil.copytree(opensdg_repo, moved)
    src = read_opensdg(moved, out)
    assert src.mode == "unchanged"


def test_watch_rebuilds_on_change_and_stops_cleanly(opensdg_repo: Path, tmp_path: Path) -> None:
    """The real command in its own process: a JSON line per build; SIGTERM ends it with exit 0
    and no temporary folder left."""
    import signal
    import subprocess
    import sys

    out = tmp_path / "exports" / "open"
    cmd = [sys.executable, "-m", "veikart", "--lang", "en", "export-data", str(out), "--from-opensdg",
           str(opensdg_repo), "--watch", "--interval", "0.1", "--json"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = json.loads(proc.stdout.readline())
        assert first["import"]["mode"] == "full" and len(first["rebuilt"]) == 3
        _edit(opensdg_repo / "data" / "indicator_3-1-1.csv", "2019,92", "2019,93")
        second = json.loads(proc.stdout.readline())
        assert second["import"]["mode"] == "changed" and second["rebuilt"] == ["3-1-1"]
        assert "2019,93" in (out / "data" / "3-1-1.csv").read_text(encoding="utf-8")
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    assert code == 0, proc.stderr.read() if proc.stderr else ""
    assert sorted(p.name for p in out.parent.iterdir()) == ["open"]


def test_watch_needs_an_open_sdg_repository(tmp_path: Path) -> None:
    code, _out, err = veikart("export-data", str(tmp_path / "o"), "--watch")
    assert code == 1 and "--from-opensdg" in err
