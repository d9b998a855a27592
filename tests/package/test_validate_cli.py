"""`veikart validate` and `veikart import` on the broken-package corpus (see _broken_corpus.py).

validate: exit status 1, every error on stderr as "file:line:col: ...", no traceback; 0 on the
valid package. import: exit status 1, no traceback, and the store exactly as before.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

if str(Path(__file__).parent) not in sys.path:  # the shared helper, whatever pytest's import mode
    sys.path.insert(0, str(Path(__file__).parent))
from _broken_corpus import CAP_ROWS, MINIMAL, Case, all_cases, committed_cases  # noqa: E402

from veikart.cli import app  # noqa: E402
from veikart.i18n import set_language  # noqa: E402
from veikart.package.reader import MAX_PROBLEMS_PER_FILE, check_package  # noqa: E402
from veikart.package.writer import render_package  # noqa: E402
from veikart.store.store import Store  # noqa: E402

CASES = committed_cases()
CAP = next(c for c in all_cases() if c.name == "error-cap")


def _invoke(*args: str) -> Any:
    """Run the CLI in English, whatever VEIKART_LANG says; keep this process in English after."""
    try:
        return CliRunner().invoke(app, ["--lang", "en", *args], env={"VEIKART_DATABASE_URL": None})
    finally:
        set_language("en")


def _assert_no_traceback(result: Any) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout + result.stderr


def _param(case: Case) -> Any:
    # Only a crash or an accepted package breaks the command; a wrong location does not.
    marks = []
    if case.import_xfail:
        marks.append(pytest.mark.xfail(strict=True, reason=case.xfail or case.import_xfail))
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_validate_broken_package(case: Case, tmp_path: Path) -> None:
    pkg = case.materialise(tmp_path / "pkg")
    result = _invoke("validate", str(pkg))
    _assert_no_traceback(result)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()

    _, problems = check_package(pkg)
    assert problems
    for p in problems:  # every problem, one line each, with its location
        assert str(p) in lines, f"{p} not in:\n{result.stderr}"
    assert lines[-1] == f"{len(problems)} error(s) found."
    assert len(lines) == len(problems) + 1

    if case.xfail:  # the expected locations describe the fixed behaviour
        return
    for exp in case.errors:  # "file:line:col: [field: ]message" as the user reads it
        assert any(
            line.startswith(exp.location + ":") and exp.message in line for line in lines
        ), f"no line '{exp.location}: ...{exp.message}...' in:\n{result.stderr}"


def test_validate_valid_package() -> None:
    result = _invoke("validate", str(MINIMAL))
    _assert_no_traceback(result)
    assert result.exit_code == 0
    assert "valid" in result.stdout
    assert result.stderr == ""


def test_validate_error_cap(tmp_path: Path) -> None:
    pkg = CAP.materialise(tmp_path / "pkg")
    result = _invoke("validate", str(pkg))
    _assert_no_traceback(result)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == MAX_PROBLEMS_PER_FILE + 2  # 100 errors, "N more", the total
    assert lines[0].startswith("data/ventetid.csv:2:2: value: value 'abc' is not a number")
    assert lines[97].startswith("data/ventetid.csv:99:2: ")  # lines[k] is CSV line k + 2
    assert lines[99].startswith("data/ventetid.csv:101:2: ")
    assert f"{CAP_ROWS - MAX_PROBLEMS_PER_FILE} more error(s) in this file are not shown" in lines[-2]


def test_validate_line_100_location(tmp_path: Path) -> None:
    result = _invoke("validate", str(CAP.materialise(tmp_path / "pkg")))
    line = result.stderr.splitlines()[98]  # the 99th error: CSV line 100
    assert line.startswith("data/ventetid.csv:100:2: "), line


def test_validate_error_cap_more_line_has_no_fake_location(tmp_path: Path) -> None:
    result = _invoke("validate", str(CAP.materialise(tmp_path / "pkg")))
    assert ":1000000000" not in result.stderr


def test_validate_error_cap_total(tmp_path: Path) -> None:
    result = _invoke("validate", str(CAP.materialise(tmp_path / "pkg")))
    assert result.stderr.splitlines()[-1] == f"{CAP_ROWS} error(s) found."


def _snapshot(url: str) -> tuple[dict[str, str], int]:
    with Store(url) as store:
        return render_package(store.load()), len(store.audit_trail())


def test_import_broken_packages_leaves_store_unchanged(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with Store(url) as store:
        store.migrate()
    ok = _invoke("--db", url, "import", str(MINIMAL), "--actor", "test")
    _assert_no_traceback(ok)
    assert ok.exit_code == 0, ok.stderr
    before = _snapshot(url)
    assert before[1] > 0

    tried = 0
    for case in all_cases():
        if case.import_xfail:  # crashes or is accepted: see test_broken_packages
            continue
        pkg = case.materialise(tmp_path / case.name)
        result = _invoke("--db", url, "import", str(pkg), "--actor", "test")
        _assert_no_traceback(result)
        assert result.exit_code == 1, f"{case.name}: {result.stdout}{result.stderr}"
        assert "nothing was stored" in result.stderr, case.name
        assert result.stdout == "", case.name
        assert _snapshot(url) == before, f"{case.name} changed the store"
        tried += 1
    assert tried >= 35
