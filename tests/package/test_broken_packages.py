"""The validator on a corpus of broken packages (tests/package/broken/, see _broken_corpus.py).

1. check_package reports exactly the expected errors: file, line, column, field, message.
2. Importing a broken package the way the CLI does leaves the store as it was, on SQLite and on
   PostgreSQL (one store per backend for the whole corpus: PostgreSQL creates a database per test).

A known bug can be marked in a package's expect.yaml (`xfail:`, `import_xfail:`); none is open.
test_no_cascading_errors checks that an invalid indicator file is reported once, in its own file,
and not again as "does not exist" wherever a period refers to it.
"""

from __future__ import annotations

import re

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest

if str(Path(__file__).parent) not in sys.path:  # the shared helper, whatever pytest's import mode
    sys.path.insert(0, str(Path(__file__).parent))
from _broken_corpus import (  # noqa: E402
    CAP_ROWS,
    MINIMAL,
    Case,
    all_cases,
    committed_cases,
    describe,
    unmatched,
)

from veikart.package.problems import PackageInvalid  # noqa: E402
from veikart.package.reader import MAX_PROBLEMS_PER_FILE, check_package, read_package  # noqa: E402
from veikart.package.writer import render_package  # noqa: E402
from veikart.store.store import Store  # noqa: E402

CASES = committed_cases()


def _param(case: Case, reason: str | None) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
    return pytest.param(case, id=case.name, marks=marks)


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 35
    names = [c.name for c in CASES]
    assert len({n.split("-", 1)[0] for n in names}) == len(names), "two packages share a number"


# --- 1. the validator's report -------------------------------------------------------------


@pytest.mark.parametrize("case", [_param(c, c.xfail) for c in CASES])
def test_check_package(case: Case, tmp_path: Path) -> None:
    pkg = case.materialise(tmp_path / "pkg")
    data, problems = check_package(pkg)
    _, problems = unmatched(case.cascade, problems)  # known cascade bug: see module docstring
    missing, extra = unmatched(case.errors, problems)
    assert not missing and not extra, (
        f"{case.name}\nexpected but not reported:\n"
        + ("\n".join(f"  {e}" for e in missing) or "  (none)")
        + f"\nreported but not expected:\n{describe(extra)}"
    )
    assert len(problems) == len(case.errors)
    assert data is None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_no_cascading_errors(case: Case, tmp_path: Path) -> None:
    """An invalid indicator file is reported once, in its own file: references to it from a
    period are not reported as 'does not exist' (the file is there)."""
    pkg = case.materialise(tmp_path / "pkg")
    _, problems = check_package(pkg)
    cascaded = [
        p
        for p in problems
        if (m := re.search(r"indicator '([^']+)' does not exist", p.message))
        and (pkg / "indicators" / f"{m.group(1)}.yaml").exists()
    ]
    assert not cascaded, describe(cascaded)


def test_minimal_package_is_valid() -> None:
    """The base every broken package starts from: if this fails, all of the corpus is moot."""
    data, problems = check_package(MINIMAL)
    assert problems == [] and data is not None


def test_error_cap(tmp_path: Path) -> None:
    """A file with more than 100 errors: the first 100 and one line saying how many more."""
    case = next(c for c in all_cases() if c.name == "error-cap")
    pkg = case.materialise(tmp_path / "pkg")
    data, problems = check_package(pkg)
    assert data is None
    in_file = [p for p in problems if p.file == "data/ventetid.csv"]
    assert len(problems) == len(in_file) == MAX_PROBLEMS_PER_FILE + 1
    shown, more = in_file[:-1], in_file[-1]
    assert [p.line for p in shown] == list(range(2, 2 + MAX_PROBLEMS_PER_FILE))  # the first 100 rows
    assert all(p.column == 2 and p.field == "value" and "'abc' is not a number" in p.message for p in shown)
    assert f"{CAP_ROWS - MAX_PROBLEMS_PER_FILE} more error(s)" in more.message
    with pytest.raises(PackageInvalid) as exc:
        read_package(pkg)
    assert "more error(s)" in exc.value.problems[-1].message  # still last once sorted


def test_error_cap_summary_has_no_fake_line(tmp_path: Path) -> None:
    case = next(c for c in all_cases() if c.name == "error-cap")
    _, problems = check_package(case.materialise(tmp_path / "pkg"))
    more = problems[-1]
    assert "more error(s)" in more.message
    assert more.line is None, more.location


# --- valid packages that are misread -------------------------------------------------------


def test_time_like_text_survives(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(MINIMAL, pkg)
    fw = pkg / "framework.yaml"
    text = fw.read_text(encoding="utf-8").replace("title: Enklere hverdag", "title: 10:30")
    fw.write_text(text, encoding="utf-8")
    data = read_package(pkg)
    assert data.framework.goals[1].title == "10:30"


def test_key_figure_period_as_date(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(MINIMAL, pkg)
    per = pkg / "periods" / "2026-01.yaml"
    per.write_text(
        per.read_text(encoding="utf-8").replace("period: 2024-Q3", "period: 2024-07-15"), encoding="utf-8"
    )
    data, problems = check_package(pkg)
    assert problems == [], describe(problems)
    assert data is not None and data.periods["2026-01"].key_figures[0].period == "2024-07-15"


# --- 2. the store stays as it was ----------------------------------------------------------


def _snapshot(store: Store) -> tuple[dict[str, str], int]:
    return render_package(store.load()), len(store.audit_trail())


def _import_like_cli(store: Store, pkg: Path) -> bool:
    """What `veikart import` does; True if the package was imported."""
    try:
        data = read_package(pkg)
    except PackageInvalid:
        return False
    store.import_data(data, actor="test")
    return True


def _store_with_minimal(store: Store) -> tuple[dict[str, str], int]:
    summary = store.import_data(read_package(MINIMAL), actor="test")
    assert summary.changeset_id is not None
    before = _snapshot(store)
    assert before[1] > 0 and "framework.yaml" in before[0]
    return before


def test_store_unchanged_by_broken_packages(store: Store, tmp_path: Path) -> None:
    """Every broken package (known import bugs aside) on one store per backend."""
    before = _store_with_minimal(store)
    tried = 0
    for case in all_cases():
        if case.import_xfail:
            continue
        pkg = case.materialise(tmp_path / case.name)
        assert not _import_like_cli(store, pkg), f"{case.name} was imported"
        assert _snapshot(store) == before, f"{case.name} changed the store"
        tried += 1
    assert tried >= 35



def test_assessed_series_and_dimension_roles_are_read_and_their_scopes_checked(tmp_path: Path) -> None:
    pkg = tmp_path / "pkg"
    shutil.copytree(MINIMAL, pkg)
    ind = pkg / "indicators" / "andel-digital.yaml"
    text = ind.read_text(encoding="utf-8").replace("    title: Region\n", "    title: Region\n    role: series\n")
    text += "assessed_series:\n  - scope: {region: nord}\n    direction: lower_is_better\n    limit: 0\n"
    ind.write_text(text, encoding="utf-8")
    data = read_package(pkg)
    got = data.indicators["andel-digital"]
    assert got.dimensions[0].role.value == "series"
    assert [(a.scope, a.direction.value, a.limit) for a in got.assessed_series] == [({"region": "nord"}, "lower_is_better", 0)]
    # a scope the indicator cannot have is an error at its place
    ind.write_text(text.replace("{region: nord}", "{region: vest, kjonn: k}"), encoding="utf-8")
    _data, problems = check_package(pkg)
    fields = sorted(p.field for p in problems)
    assert fields == ["assessed_series[0].scope.kjonn", "assessed_series[0].scope.region"], describe(problems)
    assert all(p.file == "indicators/andel-digital.yaml" and p.line is not None for p in problems)
