"""The real Open SDG corpus (UK, ONS) end to end: import, progress and export-data, then a rerun
after one changed CSV. Skipped when the corpus is missing, except in CI (CI=true), where that
fails."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import IN_CI
from tests.test_cli import veikart

CORPUS = Path("/work/shared/corpora/opensdg-uk")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (CORPUS / "data").is_dir():
        message = f"the Open SDG corpus is not at {CORPUS}"
        if IN_CI:
            pytest.fail(message + " (CI=true: this test may not be skipped)")
        pytest.skip(message + "; skipped outside CI")
    copy = tmp_path_factory.mktemp("corpus") / CORPUS.name
    shutil.copytree(CORPUS, copy)
    return copy


def test_the_uk_corpus_exports_every_indicator_and_reruns_incrementally(corpus: Path, tmp_path: Path) -> None:
    from veikart.opensdg import import_opensdg

    expected, _report = import_opensdg(corpus, default_direction="higher_is_better")
    out = tmp_path / "open"
    code, stdout, err = veikart(
        "export-data",
        str(out),
        "--from-opensdg",
        str(corpus),
        "--default-direction",
        "higher_is_better",
        "--json",
    )
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["import"]["mode"] == "full" and summary["indicators"] == len(expected.indicators) == 277
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [e["id"] for e in index["indicators"]] == list(expected.indicators)
    assert index["counts"]["observations"] == expected.observation_count()
    assessed = 0
    for ind_id in expected.indicators:
        doc = json.loads((out / "indicators" / f"{ind_id}.json").read_text(encoding="utf-8"))
        assert doc["id"] == ind_id and doc["progress"]["indicator"] == ind_id
        has_data = ind_id in expected.observations
        assert (doc["chart"] is not None) == has_data, ind_id
        if has_data:
            assert "vega-lite" in doc["chart"]["spec"]["$schema"]
        assert doc["observation_count"] == (len(expected.observations[ind_id]) if has_data else 0)
        assessed += doc["progress"]["status"] not in ("not_assessed", "unable_to_assess")
        assert (out / "data" / f"{ind_id}.csv").is_file()
    assert assessed > 100  # with higher_is_better the progress calculation does real work
    with zipfile.ZipFile(out / "veikart-open-data.zip") as zf:
        assert zf.testzip() is None
        assert len(zf.namelist()) == 2 * 277 + 3

    # one changed value: one indicator read and rebuilt, the rest kept
    path = corpus / "data" / "indicator_1-2-1.csv"
    rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
    value = rows[0].index("Value")
    rows[1][value] = str(float(rows[1][value]) + 1.25)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    code, stdout, err = veikart(
        "export-data",
        str(out),
        "--from-opensdg",
        str(corpus),
        "--default-direction",
        "higher_is_better",
        "--json",
    )
    assert code == 0, err
    again = json.loads(stdout)
    assert again["import"]["mode"] == "changed" and again["import"]["reread"] == ["data/indicator_1-2-1.csv"]
    assert again["rebuilt"] == ["1-2-1"] and again["reused"] == 276
    assert rows[1][value] in (out / "data" / "1-2-1.csv").read_text(encoding="utf-8")
