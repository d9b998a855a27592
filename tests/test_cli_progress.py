"""`veikart progress` and `veikart backtest` on the bundled default."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import veikart

OPEN_SDG_COMPONENTS = {
    "base_value", "base_year", "current_value", "current_year", "target", "target_year",
    "direction", "limit", "progress_value", "status", "score",
}
OURS = {"model", "expected_attainment", "required_pace", "band"}


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    assert veikart("--db", url, "init")[0] == 0
    return url


def test_progress_json_has_every_indicator_with_open_sdg_components(db: str) -> None:
    code, out, err = veikart("--db", db, "progress", "--json")
    assert code == 0, err
    records = json.loads(out)
    assert len(records) == 15
    for rec in records:
        assert rec["status"] in {
            "target_achieved", "on_track", "acceleration_needed", "limited_progress",
            "deterioration", "unable_to_assess", "not_assessed",
        }
        assert rec["explanation"]["nb"] and rec["explanation"]["en"]
        for s in rec["series"]:
            assert OPEN_SDG_COMPONENTS | OURS <= set(s)
    pll = next(r for r in records if r["indicator"] == "pll-nasjonalt")
    scopes = [s["series"] for s in pll["series"]]
    assert {} in scopes and {"region": "helse-vest"} in scopes
    assert all(s["target"] == 30 for s in pll["series"])
    hds = next(r for r in records if r["indicator"] == "helsedataservice-soknader")
    assert hds["status"] == "not_assessed" and hds["series"][0]["model"] is not None


def test_progress_table_and_period(db: str) -> None:
    code, out, _ = veikart("--db", db, "progress", "--period", "2026-01")
    assert code == 0 and "Velferdsteknologi".lower() in out.lower()
    code, _, err = veikart("--db", db, "progress", "--period", "2031-01")
    assert code == 1 and "2026-01" in err


def test_progress_as_of_before_the_data_existed_is_a_clear_error(db: str) -> None:
    code, _, err = veikart("--db", db, "progress", "--as-of", "2000-01-01")
    assert code == 1 and "not yet known" in err


def test_backtest_json(db: str) -> None:
    code, out, _ = veikart("--db", db, "backtest", "--holdout", "1", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["model"] for r in rows} == {"compound", "linear", "logistic"}
    assert all(r["series"] > 0 for r in rows)
