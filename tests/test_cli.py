"""The command line as a user drives it: exit codes, messages on stderr, no tracebacks."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from veikart.cli import app

runner = CliRunner()


def veikart(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--lang", "en", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def _same_tree(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    match, mismatch, errors = filecmp.cmpfiles(a, b, files_a, shallow=False)
    assert mismatch == [] and errors == []


def test_init_export_import_export_gives_identical_files(store_url: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert veikart("--db", store_url, "init")[0] == 0
    assert veikart("--db", store_url, "export", str(first))[0] == 0
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assert veikart("--db", empty, "init")[0] == 0  # creates the store (with the default)...
    code, out, _ = veikart("--db", empty, "import", str(first))
    assert code == 0 and "no changes" in out  # ...which is exactly what was exported
    assert veikart("--db", empty, "export", str(second))[0] == 0
    _same_tree(first, second)
    # And the export is the bundled default itself, byte for byte.
    from importlib.resources import files

    _same_tree(Path(str(files("veikart") / "data" / "default")), first)


def test_import_into_a_fresh_store_then_export_reproduces_the_package(store_url: str, tmp_path: Path) -> None:
    from veikart.store.store import Store

    with Store(store_url) as s:
        s.migrate()
    code, out, err = veikart("--db", store_url, "import", str(MINIMAL))
    assert code == 0, err
    assert "9 new" in out
    assert veikart("--db", store_url, "export", str(tmp_path / "out"))[0] == 0
    _same_tree(MINIMAL, tmp_path / "out")


def test_import_into_a_store_that_does_not_exist_creates_it_with_that_framework_only(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'new' / 'x.db'}"
    code, out, err = veikart("--db", db, "import", str(MINIMAL))
    assert code == 0, err
    from veikart.store.store import Store

    with Store(db) as s:
        assert s.frameworks() == ["test-plan"]  # not the bundled e-health roadmap beside it
    # one framework in the store: no command asks for --framework
    assert veikart("--db", db, "summary")[0] == 0
    assert veikart("--db", db, "export", str(tmp_path / "out"))[0] == 0
    _same_tree(MINIMAL, tmp_path / "out")


def test_a_read_command_before_init_says_what_to_do(tmp_path: Path) -> None:
    code, out, err = veikart("--db", f"sqlite:///{tmp_path / 'x.db'}", "summary")
    assert code == 1
    assert "veikart init" in err and "Traceback" not in err + out


def test_init_empty_creates_the_schema_only(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    code, out, err = veikart("--db", db, "init", "--empty")
    assert code == 0, err
    assert "empty store" in out
    from veikart.store.store import Store

    with Store(db) as s:
        s.check_ready()
        assert s.frameworks() == []
    assert veikart("--db", db, "import", str(MINIMAL))[0] == 0


def test_init_never_loads_the_default_over_a_users_newer_changes(tmp_path: Path) -> None:
    from importlib.resources import files

    from veikart.store.store import Store

    db = f"sqlite:///{tmp_path / 'x.db'}"
    assert veikart("--db", db, "init")[0] == 0
    mine = tmp_path / "mine"
    shutil.copytree(Path(str(files("veikart") / "data" / "default")), mine)
    fw = mine / "framework.yaml"
    fw.write_text(fw.read_text(encoding="utf-8").replace("horizon_year: 2030", "horizon_year: 2031"), encoding="utf-8")
    code, out, err = veikart("--db", db, "import", "--actor", "ola", str(mine))
    assert code == 0 and "1 changed" in out, out + err
    with Store(db) as s:
        before = s.audit_trail()
    code, out, err = veikart("--db", db, "init")
    assert code == 0, err
    assert "ola" in out and "--reset-default" in out
    with Store(db) as s:
        assert s.audit_trail() == before  # nothing written
        assert s.load().framework.horizon_year == 2031
    code, out, err = veikart("--db", db, "init", "--reset-default")
    assert code == 0 and "1 changed" in out, out + err
    with Store(db) as s:
        assert s.load().framework.horizon_year == 2030
        assert s.load(as_of=before[0].at).framework.horizon_year == 2031  # the user's version is kept


def test_export_refuses_to_overwrite_a_folder_that_is_not_a_package(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    veikart("--db", db, "init")
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me")
    code, _, err = veikart("--db", db, "export", str(target))
    assert code == 1 and "not empty" in err
    assert (target / "notes.txt").read_text() == "keep me"


def test_export_over_a_package_keeps_other_files(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    veikart("--db", db, "init")
    target = tmp_path / "pkg"
    shutil.copytree(MINIMAL, target)
    (target / "README.md").write_text("mine")
    assert veikart("--db", db, "export", str(target))[0] == 0
    assert (target / "README.md").read_text() == "mine"
    assert not (target / "indicators" / "ventetid.yaml").exists()  # replaced by the exported package
    assert (target / "indicators" / "velferdsteknologi.yaml").exists()


def test_export_as_of_a_date_before_the_framework_existed(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    veikart("--db", db, "init")
    code, _, err = veikart("--db", db, "export", str(tmp_path / "old"), "--as-of", "2001-01-01")
    assert code == 1 and "not yet known" in err
    code, _, err = veikart("--db", db, "export", str(tmp_path / "old"), "--as-of", "yesterday")
    assert code == 1 and "YYYY-MM-DD" in err


def test_bad_database_url_is_a_user_error(tmp_path: Path) -> None:
    code, out, err = veikart("--db", "nosuchdb://x", "init")
    assert code == 1 and "Traceback" not in out + err
    code, out, err = veikart("--db", "postgresql://nobody@127.0.0.1:1/none", "init")
    assert code == 1 and "cannot connect" in err


def test_summary_and_audit_after_init(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    veikart("--db", db, "init", "--actor", "analytiker")
    code, out, _ = veikart("--db", db, "summary")
    assert code == 0 and "Enklere arbeidshverdag" in out and "Illustrative data" in out
    code, out, _ = veikart("--db", db, "audit", "--json")
    assert code == 0 and '"actor": "analytiker"' in out and '"action": "init"' in out


def test_schema_command_writes_the_published_schema(tmp_path: Path) -> None:
    assert veikart("schema", str(tmp_path))[0] == 0
    docs = Path(__file__).resolve().parents[1] / "docs" / "schema"
    for path in tmp_path.iterdir():
        assert path.read_text() == (docs / path.name).read_text(), f"docs/schema/{path.name} is stale"


def test_python_dash_m_works(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "veikart", "validate", str(MINIMAL)], capture_output=True, text=True, check=False
    )
    assert out.returncode == 0, out.stderr


def test_version_is_the_installed_distributions_and_read_only_when_asked() -> None:
    from importlib.metadata import version

    import veikart

    assert veikart.__version__ == version("veikart")
    with pytest.raises(AttributeError):
        veikart.no_such_attribute  # noqa: B018


def test_importing_the_entry_point_runs_nothing() -> None:
    """A worker started by spawn imports the `veikart` script's module again: it must not run
    the command, nor load the command line's libraries."""
    code = "import sys, veikart.__main__ as m; print(callable(m.main), 'typer' in sys.modules, 'veikart.cli' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["True", "False", "False"]


def test_lazy_package_names_load_on_first_use_and_unknown_ones_are_refused() -> None:
    code = (
        "import sys, veikart.opendata as o\n"
        "assert 'veikart.opendata.export' not in sys.modules\n"
        "f = o.export_open_data\n"
        "assert 'veikart.opendata.export' in sys.modules and o.__dict__['export_open_data'] is f\n"
        "try:\n    o.nothing_of_that_name\nexcept AttributeError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "has no attribute 'nothing_of_that_name'" in out
