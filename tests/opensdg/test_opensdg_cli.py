"""`veikart import-opensdg` and `veikart export-opensdg` as a user drives them: exit codes,
summary on stdout, problems on stderr with their places, no tracebacks."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.opensdg.test_importer import BASIC_META, _meta, make_repo
from veikart.cli import app
from veikart.core.model import Direction
from veikart.store.store import Store

runner = CliRunner()


def veikart(*args: str, lang: str = "en") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--lang", lang, *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'veikart.db'}"
    with Store(url) as store:
        store.migrate()
    return url


def small_repo(root: Path, bad_rows: int = 0) -> Path:
    data = "Year,Sex,Value\n2015,,10\n2016,,9.5\n2016,Female,9\n2016,,8\n" + "".join(
        f"{1900 + i},,x\n" for i in range(bad_rows)
    )
    return make_repo(
        root,
        {"1-1-1": BASIC_META, "1-2-1": _meta("indicator_number: 1.2.1\nindicator_available: Second")},
        {"1-1-1": data},
        config="languages:\n  - en\ndocs_branding: Example SDG data\n",
    )


def test_import_stores_the_framework_and_reports_problems_with_places(db: str, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "example-sdg")
    code, out, err = veikart("--db", db, "import-opensdg", str(repo), "--framework-id", "example")
    assert code == 0, err
    assert "Open SDG repository" in out and "-> framework example" in out
    assert "indicators: 2 imported of 2 found (1 with data, 1 without)" in out
    assert "rows: 3 imported of 4 read" in out
    assert "imported framework example" in out  # the store's own summary
    # the duplicate row, at its place: file:line:column: field: message (fix: ...)
    assert (
        "data/indicator_1-1-1.csv:5:1: Year: duplicate: this series already has period 2016 on line 3" in err
    )
    assert "meta/1-2-1.md: no data" in err
    assert "Traceback" not in out + err
    with Store(db) as store:
        data = store.load("example")
    assert set(data.indicators) == {"1-1-1", "1-2-1"}
    assert data.observation_count() == 3


def test_problems_file_has_them_all_and_the_terminal_the_first_50(db: str, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "example-sdg", bad_rows=70)
    code, _out, err = veikart("--db", db, "import-opensdg", str(repo))
    assert code == 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 51
    assert lines[-1] == "22 more problem(s); see --problems FILE"  # 70 bad values + duplicate + no data

    problems = tmp_path / "problems.csv"
    code, _out, err = veikart("--db", db, "import-opensdg", str(repo), "--problems", str(problems))
    assert code == 0
    assert f"22 more problem(s); all of them are in {problems}" in err
    rows = list(csv.DictReader(io.StringIO(problems.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["file", "line", "column", "field", "message", "hint"]
    assert len(rows) == 72
    bad = [r for r in rows if "is not a number" in r["message"]]
    assert len(bad) == 70 and bad[0]["file"] == "data/indicator_1-1-1.csv"
    assert (bad[0]["line"], bad[0]["column"], bad[0]["field"]) == ("6", "3", "Value")
    assert bad[0]["hint"].startswith("write a number")


def test_default_direction_is_applied(db: str, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "example-sdg")
    code, _out, err = veikart(
        "--db", db, "import-opensdg", str(repo), "--default-direction", "higher_is_better"
    )
    assert code == 0, err
    with Store(db) as store:
        ind = store.load("example-sdg").indicators["1-1-1"]
    assert ind.direction is Direction.HIGHER_IS_BETTER


@pytest.mark.parametrize("case", ["file", "missing", "empty"])
def test_import_user_errors_exit_1_without_traceback(db: str, tmp_path: Path, case: str) -> None:
    if case == "file":
        target = tmp_path / "a-file.csv"
        target.write_text("Year,Value\n", encoding="utf-8")
    elif case == "missing":
        target = tmp_path / "nowhere"
    else:
        target = tmp_path / "empty"
        target.mkdir()
    code, out, err = veikart("--db", db, "import-opensdg", str(target))
    assert code == 1
    assert "Traceback" not in out + err
    if case == "empty":
        assert "holds no Open SDG indicator" in err and "nothing was stored" in err
    else:
        assert "is not a folder" in err
    with Store(db) as store:
        assert store.frameworks() == []


def test_import_into_a_store_that_does_not_exist_creates_it_with_that_framework_only(tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "example-sdg")
    db = f"sqlite:///{tmp_path / 'new.db'}"
    code, out, err = veikart("--db", db, "import-opensdg", str(repo))
    assert code == 0, err
    with Store(db) as store:
        assert store.frameworks() == ["example-sdg"]
    code, out, err = veikart("--db", db, "progress", "--json")  # one framework: no --framework asked
    assert code == 0, err


def test_export_then_import_changes_nothing(db: str, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "src" / "example-sdg")
    assert veikart("--db", db, "import-opensdg", str(repo))[0] == 0
    target = tmp_path / "site" / "example-sdg"
    code, out, err = veikart("--db", db, "export-opensdg", str(target))
    assert code == 0, err
    assert f"framework example-sdg -> Open SDG repository {target}" in out
    assert "rows: 3 written" in out and "progress status: not_available 2" in out
    assert (target / "data" / "indicator_1-1-1.csv").is_file()
    assert (target / "meta" / "1-2-1.md").is_file()
    assert (target / "indicator_calculation_components.yml").is_file()
    # the export read back is the framework the store holds
    code, out, err = veikart("--db", db, "import-opensdg", str(target))
    assert code == 0, err
    assert "no changes" in out
    # exporting again replaces the repository
    assert veikart("--db", db, "export-opensdg", str(target))[0] == 0


def test_export_user_errors(db: str, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    code, _out, err = veikart("--db", db, "export-opensdg", str(tmp_path / "x"))
    assert code == 1 and "holds no framework" in err

    assert veikart("--db", db, "import-opensdg", str(small_repo(tmp_path / "example-sdg")))[0] == 0
    code, out, err = veikart("--db", db, "export-opensdg", str(other))
    assert code == 1
    assert "is not empty and is not an Open SDG data repository" in err and "Traceback" not in out + err
    assert (other / "notes.txt").read_text(encoding="utf-8") == "mine"

    code, _out, err = veikart("--db", db, "export-opensdg", str(tmp_path / "x"), "--as-of", "1999-01-01")
    assert code == 1 and "was not yet known" in err
    code, _out, err = veikart("--db", db, "export-opensdg", str(tmp_path / "x"), "--as-of", "yesterday")
    assert code == 1 and "is not a date" in err

    assert veikart("--db", db, "import-opensdg", str(small_repo(tmp_path / "second-sdg")))[0] == 0
    code, _out, err = veikart("--db", db, "export-opensdg", str(tmp_path / "x"))
    assert code == 1 and "--framework" in err
    assert veikart("--db", db, "export-opensdg", str(tmp_path / "x"), "--framework", "second-sdg")[0] == 0


def test_messages_in_bokmal(db: str, tmp_path: Path) -> None:
    repo = small_repo(tmp_path / "example-sdg")
    code, out, err = veikart("--db", db, "import-opensdg", str(repo), lang="nb")
    assert code == 0
    assert "indikatorer: 2 importert av 2 funnet (1 med data, 1 uten)" in out
    assert "duplikat: denne serien har allerede perioden 2016 på linje 3" in err
    assert "slik retter du det: behold én rad per serie og år" in err
    code, out, _err = veikart("--db", db, "export-opensdg", str(tmp_path / "ut"), lang="nb")
    assert code == 0 and "rader: 3 skrevet" in out


def test_a_repository_named_like_a_framework_from_a_package_never_replaces_it_silently(tmp_path: Path) -> None:
    from tests.conftest import MINIMAL

    db = f"sqlite:///{tmp_path / 's.db'}"
    assert veikart("--db", db, "import", str(MINIMAL))[0] == 0  # framework "test-plan", from a package
    repo = small_repo(tmp_path / "test-plan")
    code, out, err = veikart("--db", db, "import-opensdg", str(repo))
    assert code == 1 and "--framework-id" in err and "--replace" in err, out + err
    with Store(db) as store:
        assert store.load("test-plan").framework.title == "Testplan for kommunen"
    assert veikart("--db", db, "import-opensdg", str(repo))[0] == 1
    code, out, err = veikart("--db", db, "import-opensdg", str(repo), "--framework-id", "test-sdg")
    assert code == 0, err
    # the repository's own framework is updated by a second import, without --replace
    assert veikart("--db", db, "import-opensdg", str(repo), "--framework-id", "test-sdg")[0] == 0
    code, out, err = veikart("--db", db, "import-opensdg", str(repo), "--replace")
    assert code == 0, err
    with Store(db) as store:
        assert store.load("test-plan").framework.title != "Testplan for kommunen"


def test_backup_copies_a_sqlite_store_into_a_new_file(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    repo = small_repo(tmp_path / "example-sdg")
    assert veikart("--db", str(db), "import-opensdg", str(repo))[0] == 0
    code, out, err = veikart("--db", str(db), "backup", str(tmp_path / "copy.db"))
    assert code == 0, err
    with Store(str(tmp_path / "copy.db")) as store:
        assert store.frameworks() == ["example-sdg"]
    code, out, err = veikart("--db", str(db), "backup", str(tmp_path / "copy.db"))
    assert code == 1 and "exists already" in err


def test_values_outside_the_models_bounds_and_other_scripts_digits_are_skipped_at_their_place(db: str, tmp_path: Path) -> None:
    data = "Year,Value\n2015,10\n2016,1e20\n2017,\uff11\uff12\n2018,12\n"
    repo = make_repo(tmp_path / "big-sdg", {"1-1-1": BASIC_META}, {"1-1-1": data}, config="languages:\n  - en\n")
    code, out, err = veikart("--db", db, "import-opensdg", str(repo))
    assert code == 0, err
    assert "data/indicator_1-1-1.csv:3:2: Value: 1e20 is too large" in err
    assert "data/indicator_1-1-1.csv:4:2: Value: Value '\uff11\uff12' is not a number" in err
    assert "rows: 2 imported of 4 read" in out
    assert veikart("--db", db, "progress", "--json")[0] == 0  # what was stored every output can show
