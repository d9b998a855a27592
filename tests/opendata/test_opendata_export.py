"""`export_open_data` on small frameworks: what is written, what never is, and reruns."""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from tests.opendata.conftest import (
    DRAFT_TEXT,
    SECRET_FORMS,
    SECRET_NOTE,
    every_byte,
    make_package,
    published_files,
)
from veikart.core.dataset import FrameworkData, ObservationTable
from veikart.opendata import ILLUSTRATIVE_NOTICE, ExportError, export_open_data
from veikart.opendata import export as export_mod
from veikart.package.reader import read_package


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_every_indicator_gets_its_files_and_a_line_in_the_index(data: FrameworkData, tmp_path: Path) -> None:
    out = tmp_path / "open"
    result = export_open_data(data, out)
    assert result.rebuilt == ["andel-digital", "ventetid"]
    for name in ("index.json", "framework.json", "periods.json", "veikart-open-data.zip"):
        assert (out / name).is_file()
    index = _json(out / "index.json")
    assert [e["id"] for e in index["indicators"]] == list(data.indicators)
    for e in index["indicators"]:
        assert (out / e["files"]["csv"]).is_file() and (out / e["files"]["json"]).is_file()
        assert {"id", "title", "goal", "kind", "unit", "status", "latest", "files"} <= set(e)
    andel = index["indicators"][0]
    assert andel["latest"] == {"value": 50.0, "period": "2022", "series": {}}
    assert andel["status"] == "on_track" and andel["kind"] == "indicator" and andel["goal"] == "1"
    assert index["generator"]["name"] == "veikart" and index["generator"]["code"]
    fw = _json(out / "framework.json")["framework"]
    goal1 = fw["goals"][0]
    assert goal1["indicators"] == ["andel-digital"]
    assert goal1["subgoals"][0]["code"] == "1A" and goal1["subgoals"][0]["indicators"] == ["andel-digital"]


def test_csv_is_tidy_with_codes_labels_provenance_and_sources(data: FrameworkData, tmp_path: Path) -> None:
    export_open_data(data, tmp_path / "open")
    rows = _csv(tmp_path / "open" / "data" / "andel-digital.csv")
    assert list(rows[0]) == [
        "region", "region_label", "period", "value", "unit", "unit_label", "n", "flags",
        "provenance", "source", "source_name", "note",
    ]  # fmt: skip
    assert rows[0] | {} == rows[0]
    total = rows[0]
    assert (total["region"], total["period"], total["value"], total["unit"]) == ("", "2020", "40", "percent")
    assert (total["provenance"], total["source"], total["source_name"]) == ("published", "ssb", "SSB: KOSTRA")
    assert rows[2]["flags"] == "provisional"
    nord = [r for r in rows if r["region"] == "nord"]
    assert nord and all(r["region_label"] == "Nord" for r in nord)
    assert all(r["provenance"] == "illustrative" for r in nord)
    assert all(r["note"] == ILLUSTRATIVE_NOTICE["nb"] for r in nord)


def test_suppressed_observations_appear_nowhere(package: Path, tmp_path: Path) -> None:
    out = tmp_path / "open"
    export_open_data(read_package(package), out)
    rows = _csv(out / "data" / "andel-digital.csv")
    assert all(r["region"] != "sor" for r in rows)  # both suppressed rows are gone, not blanked
    assert all(r["flags"] != "suppressed" for r in rows)
    doc = _json(out / "indicators" / "andel-digital.json")
    assert "sor" not in doc["observations"]["region"]
    assert doc["observation_count"] == 5
    for where, raw in every_byte(out):
        text = raw.decode("utf-8", errors="replace")
        assert SECRET_NOTE not in text and "for få svar" not in text, where
        for form in SECRET_FORMS:
            assert form not in text, (where, form)


def test_the_cache_and_every_file_are_the_same_without_the_suppressed_rows(
    package: Path, tmp_path: Path
) -> None:
    """Not even a hash reveals a suppressed value: an export is the same, byte for byte (its
    build cache too), as one of the same data without the suppressed rows."""
    data = read_package(package)
    export_open_data(data, tmp_path / "with")
    table = data.observations["andel-digital"]
    keep = [i for i in range(len(table)) if "suppressed" not in table.flags[i]]
    stripped = ObservationTable(table.indicator, table.dimensions)
    for i in keep:
        stripped.append(*table.row(i))
    data.observations["andel-digital"] = stripped
    export_open_data(data, tmp_path / "without")
    a = {
        p.relative_to(tmp_path / "with"): p.read_bytes()
        for p in (tmp_path / "with").rglob("*")
        if p.is_file()
    }
    b = {
        p.relative_to(tmp_path / "without"): p.read_bytes()
        for p in (tmp_path / "without").rglob("*")
        if p.is_file()
    }
    assert a == b


def test_draft_periods_are_left_out_published_ones_exported(tmp_path: Path) -> None:
    draft_only = make_package(tmp_path, published=False)
    export_open_data(read_package(draft_only), tmp_path / "a")
    assert _json(tmp_path / "a" / "periods.json")["periods"] == []
    assert _json(tmp_path / "a" / "index.json")["periods"] == []
    for where, raw in every_byte(tmp_path / "a"):
        text = raw.decode("utf-8", errors="replace")
        assert "God fremdrift" not in text and "Hva gjør vi nå?" not in text, where
        assert DRAFT_TEXT not in text and "Statusrapport mai 2026" not in text, where

    published = make_package(tmp_path, published=True)
    export_open_data(read_package(published), tmp_path / "b")
    periods = _json(tmp_path / "b" / "periods.json")["periods"]
    assert [p["id"] for p in periods] == ["2026-01"]
    jan = periods[0]
    assert jan["state"] == "published" and jan["assessments"][0]["summary"] == ["God fremdrift."]
    assert jan["assessments"][0]["strategic_questions"] == ["Hva gjør vi nå?"]
    assert jan["key_figures"][0]["id"] == "ventetid-2024"
    assert _json(tmp_path / "b" / "index.json")["periods"] == [
        {"id": "2026-01", "date": "2026-01-29", "title": "Statusrapport januar 2026"}
    ]
    for where, raw in every_byte(tmp_path / "b"):
        assert DRAFT_TEXT not in raw.decode("utf-8", errors="replace"), where


def test_indicator_json_has_metadata_observations_progress_and_a_vega_lite_chart(
    data: FrameworkData, tmp_path: Path
) -> None:
    export_open_data(data, tmp_path / "open")
    doc = _json(tmp_path / "open" / "indicators" / "andel-digital.json")
    meta = doc["metadata"]
    assert meta["sources"][0]["id"] == "ssb" and meta["ambitions"][0]["value"] == 90
    assert doc["goal"] == {"id": "1", "title": "Bedre tjenester"}
    assert doc["subgoals"][0]["code"] == "1A"
    assert doc["observations"]["value"][:3] == [40.0, 45.5, 50.0]
    progress = doc["progress"]
    assert progress["indicator"] == "andel-digital" and progress["status"] == "on_track"
    total = next(s for s in progress["series"] if s["series"] == {})
    assert {"base_value", "current_value", "target", "target_year", "status", "score"} <= set(total)
    assert progress["explanation"]["nb"] and progress["explanation"]["en"]
    chart = doc["chart"]
    assert "vega-lite" in chart["spec"]["$schema"]
    assert chart["spec"]["datasets"] and chart["alt"] == chart["spec"]["description"]
    # illustrative rows are drawn, so the chart and the file say so
    assert chart["illustrative"] and ILLUSTRATIVE_NOTICE["en"] in chart["provenance"]  # tests run in English
    assert doc["provenance"]["illustrative"] and doc["provenance"]["notice"] == ILLUSTRATIVE_NOTICE
    stat = _json(tmp_path / "open" / "indicators" / "ventetid.json")
    assert stat["progress"]["status"] == "not_assessed" and stat["chart"]["spec"]["$schema"]
    assert not stat["provenance"]["illustrative"] and stat["provenance"]["notice"] is None


def test_two_exports_are_byte_identical(data: FrameworkData, tmp_path: Path) -> None:
    export_open_data(data, tmp_path / "a")
    export_open_data(data, tmp_path / "b")
    export_open_data(data, tmp_path / "c", rebuild=True, jobs=1)
    a = published_files(tmp_path / "a")
    assert a == published_files(tmp_path / "b") == published_files(tmp_path / "c")
    assert (tmp_path / "a/.veikart-build/manifest.json").read_bytes() == (
        tmp_path / "b/.veikart-build/manifest.json"
    ).read_bytes()


def test_zip_holds_exactly_the_files_of_the_folder(data: FrameworkData, tmp_path: Path) -> None:
    out = tmp_path / "open"
    export_open_data(data, out)
    files = published_files(out)
    zipped = files.pop("veikart-open-data.zip")
    with zipfile.ZipFile(io.BytesIO(zipped)) as zf:
        assert zf.testzip() is None
        assert sorted(zf.namelist()) == sorted(files)
        for name in zf.namelist():
            assert zf.read(name) == files[name]
            assert zf.getinfo(name).date_time == (1980, 1, 1, 0, 0, 0)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_ino, st.st_mtime_ns


def test_rerun_rebuilds_only_the_changed_indicator(data: FrameworkData, tmp_path: Path) -> None:
    out = tmp_path / "open"
    export_open_data(data, out)
    before = {rel: _stamp(out / rel) for rel in published_files(out)}

    same = export_open_data(data, out)
    assert same.rebuilt == [] and same.written == [] and same.cache_used
    assert {rel: _stamp(out / rel) for rel in published_files(out)} == before

    table = data.observations["ventetid"]
    table.values[-1] = 25.0
    again = export_open_data(data, out)
    assert again.rebuilt == ["ventetid"] and again.reused == ["andel-digital"]
    assert again.written == [
        "data/ventetid.csv", "index.json", "indicators/ventetid.json", "veikart-open-data.zip",
    ]  # fmt: skip
    after = {rel: _stamp(out / rel) for rel in published_files(out)}
    unchanged = {"data/andel-digital.csv", "indicators/andel-digital.json", "framework.json", "periods.json"}
    for rel in unchanged:
        assert after[rel] == before[rel], rel
    for rel in again.written:
        assert after[rel] != before[rel], rel
    assert _csv(out / "data" / "ventetid.csv")[-1]["value"] == "25"
    with zipfile.ZipFile(out / "veikart-open-data.zip") as zf:
        assert zf.read("data/ventetid.csv") == (out / "data" / "ventetid.csv").read_bytes()
    # and the result is what a full build of the same data gives
    export_open_data(data, tmp_path / "fresh", rebuild=True)
    assert published_files(out) == published_files(tmp_path / "fresh")


def test_a_changed_code_version_rebuilds_everything(
    data: FrameworkData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "open"
    export_open_data(data, out)
    monkeypatch.setattr(export_mod, "build_key", lambda lang: "something else")
    result = export_open_data(data, out)
    assert result.rebuilt == ["andel-digital", "ventetid"] and not result.cache_used


def test_parallel_build_gives_the_same_bytes(tmp_path: Path) -> None:
    from benchmarks.synthetic import synthetic

    data = synthetic(indicators=10, years=6, regions=2, groups=2)
    one = export_open_data(data, tmp_path / "one", jobs=1)
    two = export_open_data(data, tmp_path / "two", jobs=2)
    assert len(one.rebuilt) == len(two.rebuilt) == 10
    assert published_files(tmp_path / "one") == published_files(tmp_path / "two")
    index = _json(tmp_path / "two" / "index.json")
    assert index["counts"]["illustrative_indicators"] == 10 and index["notice"] == ILLUSTRATIVE_NOTICE


def test_a_failed_export_leaves_the_previous_one_untouched(
    data: FrameworkData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "exports" / "open"
    export_open_data(data, out)
    before = published_files(out)
    data.observations["ventetid"].values[-1] = 20.0

    def boom(job: object, assessed: object = None) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_mod, "build_indicator", boom)
    with pytest.raises(RuntimeError):
        export_open_data(data, out, jobs=1)
    assert published_files(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["open"]  # no temporary folder left


def test_swap_without_atomic_exchange_still_replaces_the_folder(
    data: FrameworkData, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veikart.opendata import publish

    out = tmp_path / "exports" / "open"
    export_open_data(data, out)
    monkeypatch.setattr(publish, "_exchange", lambda a, b: False)
    data.observations["ventetid"].values[-1] = 26.0
    assert export_open_data(data, out).rebuilt == ["ventetid"]
    assert _csv(out / "data" / "ventetid.csv")[-1]["value"] == "26"
    assert sorted(p.name for p in out.parent.iterdir()) == ["open"]


def test_refuses_a_folder_that_is_not_an_export(data: FrameworkData, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ExportError, match="not an open-data export"):
        export_open_data(data, target)
    assert (target / "notes.txt").read_text(encoding="utf-8") == "keep me"
    export_open_data(data, tmp_path / "empty")  # an empty or new folder is fine


def test_missing_previous_files_are_rebuilt(data: FrameworkData, tmp_path: Path) -> None:
    out = tmp_path / "open"
    export_open_data(data, out)
    os.remove(out / "indicators" / "ventetid.json")
    os.remove(out / "veikart-open-data.zip")
    result = export_open_data(data, out)
    assert result.rebuilt == ["ventetid"]
    export_open_data(data, tmp_path / "fresh")
    assert published_files(out) == published_files(tmp_path / "fresh")


def test_a_symlinked_target_updates_the_folder_it_points_to(data: FrameworkData, tmp_path: Path) -> None:
    real = tmp_path / "exports" / "real"
    export_open_data(data, real)
    link = tmp_path / "site"
    link.symlink_to(real)
    data.observations["ventetid"].values[-1] = 24.0
    assert export_open_data(data, link).rebuilt == ["ventetid"]
    assert link.is_symlink() and _csv(real / "data" / "ventetid.csv")[-1]["value"] == "24"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real"]


def test_canonical_json_sorted_shortest_and_plain_for_numpy_numbers() -> None:
    """render.dumps (orjson): sorted keys, UTF-8, shortest exact numbers, a final newline; the
    same text as the standard library's canonical form for the documents we write, NumPy
    numbers included; indent 2 or none; and anything else refused, not guessed."""
    import numpy as np

    from veikart.opendata.render import dumps

    doc = {"ø": "å", "b": [1, 2.5, None, True], "a": {"z": 0.1 + 0.2, "y": -0.0, "x": 1e16}, "n": 10**15}
    plain = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
    assert dumps(doc) == plain.encode("utf-8")
    pretty = json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=2, separators=(",", ": ")) + "\n"
    assert dumps(doc, indent=2) == pretty.encode("utf-8")
    numpy_doc = {"v": np.float64(12.5), "k": np.int64(3), "l": np.array([1.5, 2.0]), "f": np.float32(0.1)}
    assert dumps(numpy_doc) == b'{"f":0.10000000149011612,"k":3,"l":[1.5,2.0],"v":12.5}\n'
    assert json.loads(dumps(numpy_doc))["f"] == float(np.float32(0.1))
    with pytest.raises(ValueError):
        dumps(doc, indent=4)
    with pytest.raises(TypeError):
        dumps({"x": object()})


def test_folders_a_killed_export_left_are_removed_by_the_next_and_a_running_ones_kept(
    data: FrameworkData, tmp_path: Path
) -> None:
    import subprocess
    import sys

    target = tmp_path / "open"
    export_open_data(data, target, jobs=1)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)  # a process that has ended
    killed_tmp = tmp_path / f".open.veikart-tmp-{pid}-0000"
    killed_old = tmp_path / f".open.veikart-old-{pid}-0001"
    running = tmp_path / f".open.veikart-tmp-{os.getppid()}-0002"  # a live process's
    mine = tmp_path / "notes"  # not ours by name: never touched
    for folder in (killed_tmp, killed_old, running, mine):
        folder.mkdir()
        (folder / "x.csv").write_text("x")
    export_open_data(data, target, jobs=1, rebuild=True)
    assert not killed_tmp.exists() and not killed_old.exists()
    assert running.exists() and mine.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".open.")) == [running.name]
