"""The deterministic ZIP writer: readable by zipfile and unzip, reproducible, ZIP64 when needed."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from veikart.opendata import archive


def _entries() -> list[archive.Entry]:
    return [
        archive.compress("indicators/b.json", b'{"a": 1}' * 500),
        archive.compress("data/a.csv", "region,verdi\nsør,1\n".encode()),
        archive.compress("random.bin", os.urandom(256)),  # incompressible: stored
    ]


def test_written_archive_reads_back_sorted_with_fixed_times(tmp_path: Path) -> None:
    archive.write_zip(tmp_path / "a.zip", _entries())
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.testzip() is None
        assert zf.namelist() == ["data/a.csv", "indicators/b.json", "random.bin"]
        assert zf.read("data/a.csv").decode() == "region,verdi\nsør,1\n"
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.getinfo("random.bin").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("indicators/b.json").compress_type == zipfile.ZIP_DEFLATED


def test_order_and_copied_entries_give_the_same_bytes(tmp_path: Path) -> None:
    entries = _entries()
    archive.write_zip(tmp_path / "a.zip", entries)
    archive.write_zip(tmp_path / "b.zip", list(reversed(entries)))
    archive.write_zip(tmp_path / "c.zip", archive.read_entries(tmp_path / "a.zip").values())
    a = (tmp_path / "a.zip").read_bytes()
    assert a == (tmp_path / "b.zip").read_bytes() == (tmp_path / "c.zip").read_bytes()


def test_zip64_records_where_sizes_need_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "ZIP64_LIMIT", 100)  # as if the files were over 4 GiB
    archive.write_zip(tmp_path / "big.zip", _entries())
    with zipfile.ZipFile(tmp_path / "big.zip") as zf:
        assert zf.testzip() is None
        assert zf.read("indicators/b.json") == b'{"a": 1}' * 500
    if shutil.which("unzip"):
        result = subprocess.run(
            ["unzip", "-t", str(tmp_path / "big.zip")], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    e = archive.compress("x", b"1")
    with pytest.raises(ValueError):
        archive.write_zip(tmp_path / "d.zip", [e, e])
