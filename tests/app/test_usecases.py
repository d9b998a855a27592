"""The use cases a web handler calls give what the command line prints, from the same store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import MINIMAL
from veikart.app import AppContext, audit, framework, progress
from veikart.app import report as report_uc
from veikart.cli import app
from veikart.errors import UsageError, VeikartError
from veikart.i18n import set_language
from veikart.package.problems import PackageInvalid

runner = CliRunner()


def _cli(*args: str) -> str:
    result = runner.invoke(app, ["--lang", "en", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_progress_records_are_the_cli_json(store_url: str) -> None:
    with AppContext(db_url=store_url, actor="test", lang="en") as ctx:
        framework.import_package(ctx, MINIMAL)
        records = progress.progress_records(progress.assess(ctx, period="2026-01"))
    assert records and {"indicator", "status"} <= set(records[0])
    assert json.loads(_cli("--db", store_url, "progress", "--period", "2026-01", "--json")) == records


def test_backtest_and_audit_records_are_the_cli_json(store_url: str) -> None:
    with AppContext(db_url=store_url, actor="kari", lang="en") as ctx:
        framework.import_package(ctx, MINIMAL)
        rows = progress.backtest_records(progress.backtest(ctx, 1), 1)
        entries = audit.audit_records(ctx, limit=5)
    assert json.loads(_cli("--db", store_url, "backtest", "--json")) == rows
    lines = _cli("--db", store_url, "audit", "--limit", "5", "--json").splitlines()
    assert [json.loads(line) for line in lines] == [{**e, "at": e["at"].isoformat()} for e in entries]
    assert entries[0]["actor"] == "kari" and len(entries) == 5


def test_a_store_that_does_not_exist_is_created_by_import_with_only_that_framework(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'new.sqlite'}"
    with AppContext(db_url=url, actor="test") as ctx:
        summary = framework.import_package(ctx, MINIMAL)
        assert summary.changeset_id is not None
        assert ctx.store().frameworks() == [summary.framework_id]
        # one framework: no use case needs its id
        assert framework.load_framework(ctx).data.framework.id == summary.framework_id


def test_init_empty_then_the_default_is_loaded_only_when_asked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with AppContext(db_url=url, actor="test") as ctx:
        assert framework.init_store(ctx, empty=True).summary is None
        assert ctx.store().frameworks() == []
        loaded = framework.init_store(ctx)
        assert loaded.summary is not None and loaded.summary.changeset_id is not None
        again = framework.init_store(ctx)  # only init has changed it: the default may be loaded again
        assert again.summary is not None and again.summary.changeset_id is None and again.kept_by is None


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda ctx: framework.load_framework(ctx, period="1999-09"), "period '1999-09' is not in the framework"),
        (lambda ctx: framework.load_framework(ctx, as_of="29.01.2026"), "--as-of '29.01.2026' is not a date"),
        (lambda ctx: audit.audit_records(ctx, limit=-5), "--limit must be 1 or more, not -5"),
        (lambda ctx: report_uc.check_formats("pptx,docx"), "unknown format 'docx'"),
        (lambda ctx: report_uc.build_report(ctx, Path("/nonexistent"), lang="de"), "language 'de' is not supported"),
    ],
)
def test_bad_input_to_a_use_case_is_a_usage_error_translated_when_shown(store_url: str, call, fragment: str) -> None:
    with AppContext(db_url=store_url, actor="test") as ctx:
        framework.import_package(ctx, MINIMAL)
        with pytest.raises(UsageError) as caught:
            call(ctx)
    assert fragment in str(caught.value)
    set_language("nb")
    assert caught.value.translated() != str(caught.value)  # the catalogue has it in bokmål


def test_a_template_that_is_not_a_pptx_is_refused_before_anything_is_built(store_url: str, tmp_path: Path) -> None:
    bogus = tmp_path / "template.pptx"
    bogus.write_text("not a deck")
    with AppContext(db_url=store_url, actor="test") as ctx:
        framework.import_package(ctx, MINIMAL)
        with pytest.raises(UsageError, match="is not a PowerPoint file"):
            report_uc.build_report(ctx, tmp_path / "out", template=bogus)
    assert not (tmp_path / "out").exists()


def test_a_broken_package_is_a_veikart_error_shown_bare_with_every_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "framework.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackageInvalid) as caught:
        framework.validate_package(broken)
    assert isinstance(caught.value, VeikartError) and caught.value.bare
    text = caught.value.translated()
    assert "framework.yaml:2:1: YAML syntax error" in text and text.rstrip().endswith("error(s) found.")


def test_the_summary_and_the_open_data_pick_the_same_latest_value(tmp_path: Path) -> None:
    """One rule for the latest value (views.vocabulary): the CLI's summary and index.json agree,
    for the bundled default with its series without a total (the surveys) too."""
    from veikart.app import opendata
    from veikart.views.vocabulary import LatestValue

    url = f"sqlite:///{tmp_path / 's.sqlite'}"
    with AppContext(db_url=url, actor="test", lang="en") as ctx:
        framework.init_store(ctx)
        view = framework.summary(ctx)
        opendata.export_from_store(ctx, tmp_path / "open", jobs=1)
    index = json.loads((tmp_path / "open" / "index.json").read_text(encoding="utf-8"))
    entries = index["indicators"] if isinstance(index, dict) else index
    by_id = {e["id"]: e for e in entries}
    rows = [row for _gid, _title, goal_rows in view.goals for row in goal_rows]
    assert len(rows) == len(by_id)
    without_total = 0
    for row in rows:
        latest = by_id[row.indicator.id]["latest"]
        if latest is None:
            assert row.latest == "-"
            continue
        expected = LatestValue(latest["value"], latest["period"], latest["series"], "published").text(row.indicator)
        assert row.latest == expected, row.indicator.id
        without_total += bool(latest["series"])
    assert without_total >= 1  # the rule for series without a total was exercised


def test_init_never_overwrites_an_import_that_lands_between_its_check_and_its_write(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race of issue 12 item 3 under concurrency: a user's import commits after init has
    checked the store and before it writes. The write is refused (its base changed), init checks
    again and keeps the user's framework."""
    from veikart.store.store import Store

    with AppContext(db_url=store_url, actor="test") as ctx:
        framework.init_store(ctx)
        mine = framework.default_package()
        mine.framework = mine.framework.model_copy(update={"horizon_year": 2031})
        original = Store.import_data
        raced = []

        def import_data(self, data, **kw):  # type: ignore[no-untyped-def]
            if kw.get("action") == "init" and not raced:
                raced.append(True)
                original(self, mine, actor="ola", action="import")  # lands in between
            return original(self, data, **kw)

        monkeypatch.setattr(Store, "import_data", import_data)
        result = framework.init_store(ctx)
        assert raced and result.summary is None and result.kept_by == "ola"
        assert ctx.store().load().framework.horizon_year == 2031
