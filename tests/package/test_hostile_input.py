"""Hostile but fair packages that the committed corpus cannot hold (links, devices), and the
edges of what the validator accepts: accepted values import and load alike on both engines."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from veikart.core.model import MAX_N
from veikart.package.reader import check_package, read_package
from veikart.package.writer import render_package
from veikart.store.store import Store

SECRET = "hemmelig-innhold-som-aldri-skal-vises"


def _package(tmp_path: Path) -> Path:
    pkg = tmp_path / "pkg"
    shutil.copytree(MINIMAL, pkg)
    return pkg


def _messages(problems) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(str(p) for p in problems)


def test_a_file_linked_out_of_the_package_is_refused_and_not_read(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text(f"id: ventetid\ntitle: {SECRET}\nfoo: [\n", encoding="utf-8")
    (pkg / "indicators" / "ventetid.yaml").unlink()
    (pkg / "indicators" / "ventetid.yaml").symlink_to(outside)
    data, problems = check_package(pkg)
    assert data is None
    (p,) = problems
    assert p.file == "indicators/ventetid.yaml" and "outside the package folder" in p.message
    assert SECRET not in _messages(problems)


def test_a_link_inside_the_package_is_read(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "spare").mkdir()
    (pkg / "indicators" / "ventetid.yaml").rename(pkg / "spare" / "ventetid.yaml")
    (pkg / "indicators" / "ventetid.yaml").symlink_to(pkg / "spare" / "ventetid.yaml")
    data, problems = check_package(pkg)
    assert problems == [] and data is not None and "ventetid" in data.indicators


def test_a_file_linked_to_a_device_is_refused_unread(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "data" / "ventetid.csv").unlink()
    (pkg / "data" / "ventetid.csv").symlink_to("/dev/zero")  # would be read for ever
    data, problems = check_package(pkg)
    assert data is None
    (p,) = [p for p in problems if p.file == "data/ventetid.csv"]
    assert "outside the package folder" in p.message


def test_a_device_inside_the_package_is_refused_unread(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("making a device node needs root")
    import stat

    pkg = _package(tmp_path)
    (pkg / "data" / "ventetid.csv").unlink()
    os.mknod(pkg / "data" / "ventetid.csv", 0o600 | stat.S_IFCHR, os.stat("/dev/zero").st_rdev)
    _data, problems = check_package(pkg)
    (p,) = [p for p in problems if p.file == "data/ventetid.csv"]
    assert "not a regular file" in p.message


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "periods" / "2026-01.yaml").unlink()
    os.mkfifo(pkg / "periods" / "2026-01.yaml")
    _data, problems = check_package(pkg)
    (p,) = [p for p in problems if p.file == "periods/2026-01.yaml"]
    assert "not a regular file" in p.message


def test_control_characters_never_reach_a_message(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    csv = pkg / "data" / "ventetid.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("2024-Q2,28", "2024-Q\x1b[2J,28"), encoding="utf-8")
    _data, problems = check_package(pkg)
    text = _messages(problems)
    assert problems and "\x1b" not in text and "\\x1b" in text


def test_the_largest_accepted_values_import_and_load_on_both_engines(store: Store, tmp_path: Path) -> None:
    """Values just inside the bounds (|value| < 10^15, n <= 2^31 - 1, years 1900-2200) are
    stored and read back unchanged on SQLite and PostgreSQL."""
    pkg = _package(tmp_path)
    ind = pkg / "indicators" / "ventetid.yaml"
    ind.write_text(ind.read_text(encoding="utf-8").replace("unit: days", "unit: number"), encoding="utf-8")
    (pkg / "data" / "ventetid.csv").write_text(
        "period,value,n,flags,provenance,source,note\n"
        f"1900,999999999999999,{MAX_N},,seed,,\n"
        "2200-Q4,-999999999999999,,,seed,,note med æøå og tab\tinne\n",
        encoding="utf-8",
    )
    per = pkg / "periods" / "2026-01.yaml"
    per.write_text(per.read_text(encoding="utf-8").replace("unit: days", "unit: number").replace("value: 27", "value: 999999999999999"), encoding="utf-8")
    data = read_package(pkg)
    store.import_data(data, actor="a")
    loaded = store.load()
    assert render_package(loaded) == render_package(data)
    table = loaded.observations["ventetid"]
    assert table.values == [999999999999999.0, -999999999999999.0] and table.n[0] == MAX_N


def test_a_message_quotes_a_wrong_value_shortly_never_a_whole_file(tmp_path: Path) -> None:
    pkg = _package(tmp_path)
    (pkg / "framework.yaml").write_text(("Dette er bare tekst. " * 50) + SECRET + "\n", encoding="utf-8")
    _data, problems = check_package(pkg)
    (p,) = [p for p in problems if p.file == "framework.yaml"]
    assert "expected a mapping" in p.message and len(p.message) < 120
    assert SECRET not in _messages(problems)
