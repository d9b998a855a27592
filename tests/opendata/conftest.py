"""Shared fixtures of the open-data export tests: small frameworks with a suppressed value, a
draft and a published period, and a small Open SDG repository."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MINIMAL
from veikart.core.dataset import FrameworkData
from veikart.package.reader import read_package

#: A suppressed observation's value and note: neither may appear in any exported byte, in any
#: of the forms a value takes there (as written, as a fraction in a chart, formatted in bokmål).
SECRET_VALUE = "87.65432"
SECRET_FORMS = ("87.65432", "87,65432", "0.876543", "87.65", "87,65", "87.7", "87,7")
SECRET_NOTE = "skjult fordi n er under fem"
DRAFT_TEXT = "Utkast som ikke er publisert"


def published_files(directory: Path) -> dict[str, bytes]:
    """Every file of an export except the build cache, by relative path."""
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and ".veikart-build" not in p.relative_to(directory).parts
    }


def every_byte(directory: Path) -> list[tuple[str, bytes]]:
    """All bytes an export holds: files (the cache too) and the ZIP's members, uncompressed."""
    out = [(p.relative_to(directory).as_posix(), p.read_bytes()) for p in directory.rglob("*") if p.is_file()]
    with zipfile.ZipFile(directory / "veikart-open-data.zip") as zf:
        out += [(f"zip:{n}", zf.read(n)) for n in zf.namelist()]
    return out


def make_package(tmp_path: Path, *, published: bool) -> Path:
    """The minimal fixture with a suppressed row that has a value, the January period
    published (or not), and a draft period whose text must never be exported."""
    pkg = tmp_path / ("pkg-published" if published else "pkg-draft")
    shutil.copytree(MINIMAL, pkg)
    csv = pkg / "data" / "andel-digital.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8")
        + f'sor,2022,{SECRET_VALUE},,suppressed,published,ssb,"{SECRET_NOTE}"\n',
        encoding="utf-8",
    )
    period = pkg / "periods" / "2026-01.yaml"
    text = period.read_text(encoding="utf-8")
    if published:
        text = text.replace(
            "title: Statusrapport januar 2026\n", "title: Statusrapport januar 2026\nstate: published\n"
        )
    period.write_text(text, encoding="utf-8")
    (pkg / "periods" / "2026-05.yaml").write_text(
        "id: 2026-05\ndate: 2026-05-20\ntitle: Statusrapport mai 2026\nassessments:\n"
        f"  - goal: '1'\n    status: serious_concerns\n    summary:\n      - {DRAFT_TEXT}.\n",
        encoding="utf-8",
    )
    return pkg


@pytest.fixture
def package(tmp_path: Path) -> Path:
    return make_package(tmp_path, published=True)


@pytest.fixture
def data(package: Path) -> FrameworkData:
    return read_package(package)


def write_opensdg_repo(root: Path) -> Path:
    """A tiny Open SDG data repository: three indicators, one with a target."""
    (root / "data").mkdir(parents=True)
    (root / "meta").mkdir()
    (root / "config_data.yml").write_text("languages:\n  - en\nowner: Test Office\n", encoding="utf-8")
    metas = {
        "1-1-1": "indicator_number: 1.1.1\nindicator_name: Poverty rate\ncomputation_units: Percentage (%)\n"
        "source_active_1: true\nsource_organisation_1: Test Office\n"
        "auto_progress_calculation: true\nprogress_calculation_options:\n  - direction: negative\n"
        "    target: 5\n",
        "1-2-1": "indicator_number: 1.2.1\nindicator_name: Households\ntarget_name: Reduce poverty\n",
        "3-1-1": "indicator_number: 3.1.1\nindicator_name: Births attended\n",
    }
    for ind_id, meta in metas.items():
        (root / "meta" / f"{ind_id}.md").write_text(f"---\n{meta}---\n", encoding="utf-8")
    rows = {
        "1-1-1": "Year,Sex,Units,Value\n"
        + "".join(
            f"{y},,Percentage (%),{20 - (y - 2015) * 0.8:.1f}\n{y},Female,Percentage (%),{22 - (y - 2015) * 0.7:.1f}\n"
            for y in range(2015, 2024)
        ),
        "1-2-1": "Year,Region,Value\n"
        + "".join(f"{y},,{100 + y - 2015}\n{y},North,{50 + y - 2015}\n" for y in range(2016, 2023)),
        "3-1-1": "Year,Value\n" + "".join(f"{y},{90 + (y - 2015) / 2}\n" for y in range(2015, 2021)),
    }
    for ind_id, text in rows.items():
        (root / "data" / f"indicator_{ind_id}.csv").write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def opensdg_repo(tmp_path: Path) -> Path:
    return write_opensdg_repo(tmp_path / "sdg-data")
