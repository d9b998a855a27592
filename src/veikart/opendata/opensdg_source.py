"""An Open SDG data repository as the source of an export, read again only where it changed.

`veikart export-data --from-opensdg REPO DIR` reads the repository with
`veikart.opensdg.import_opensdg` and exports it. The export's cache folder keeps, beside the
per-indicator hashes of `export.py`, the repository's file table (`opensdg.json`: size,
modification time and SHA-256 of every file the importer reads). A rerun:

1. lists the repository's files (one `stat` each) and hashes only files whose size or time
   differ from the table, or that were modified within two seconds before the last scan (their
   time cannot vouch for their content: "racy" files, as git calls them);
2. nothing changed: nothing is imported, the export is kept (it is still checked and rewritten
   only if the code or language changed);
3. only data files changed (`data/*.csv`), for indicators imported last time under their own
   file name: just those indicators are imported, from a temporary repository holding links to
   their metadata and data files and to `config_data.yml` (under the same folder name, so that
   every name the importer derives from it is the same). Their framework-wide effects are
   checked: a data file cannot change goals or targets (those come from metadata only); it can
   change the framework's horizon only through the ambitions' deadlines, which are compared;
4. anything else (metadata, config, files added or removed, import options, a renamed id, a
   changed deadline): the whole repository is imported again, as the first time.

Step 3 gives the same indicators as a full import because the importer makes each indicator from
its own files, the config and the folder name alone (tests/opendata check the two against each
other, file by file).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veikart.core.dataset import FrameworkData
from veikart.core.model import Framework
from veikart.opendata.export import CACHE_DIR, build_key, read_manifest

__all__ = ["OPENSDG_CACHE", "OpenSdgSource", "read_opensdg", "wait_for_change"]

OPENSDG_CACHE = "opensdg.json"
_FORMAT = 1
_FOLDERS = ("meta", "indicator-config", "data")
_RACY_NS = 2_000_000_000


@dataclass
class OpenSdgSource:
    """What to export: `data` holds every indicator (full import) or only those read again;
    `order` and `reuse` then say which indicators the previous export keeps."""

    data: FrameworkData
    mode: str  # "full", "changed" or "unchanged"
    order: list[str] | None = None
    reuse: set[str] = field(default_factory=set)
    report: Any = None  # the OpenSdgReport of what was imported (None when nothing was)
    reread: list[str] = field(default_factory=list)  # repository files read again
    why_full: str = ""  # why the whole repository was imported
    cache: bytes = b""  # the new opensdg.json
    seconds: float = 0.0


def _scan(root: Path) -> dict[str, tuple[int, int]]:
    """Every file the importer may read: rel -> (size, mtime_ns)."""
    out: dict[str, tuple[int, int]] = {}
    config = root / "config_data.yml"
    if config.is_file():
        st = config.stat()
        out["config_data.yml"] = (st.st_size, st.st_mtime_ns)
    for folder in _FOLDERS:
        directory = root / folder
        if not directory.is_dir():
            continue
        with os.scandir(directory) as it:
            for entry in it:
                if entry.name.startswith(".") or not entry.is_file():
                    continue
                st = entry.stat()
                out[f"{folder}/{entry.name}"] = (st.st_size, st.st_mtime_ns)
    return out


def wait_for_change(
    root: Path,
    since: dict[str, tuple[int, int]] | None,
    *,
    interval: float = 0.5,
    settle: float = 0.05,
    stop: Any = None,
) -> dict[str, tuple[int, int]] | None:
    """Poll the repository's file table until it differs from `since`, then until it holds still
    for `settle` seconds (a file being written is read once it is whole). Returns the new table,
    or None when `stop()` says so. `since=None` returns the current table at once."""
    root = Path(root)
    current = _scan(root) if root.is_dir() else {}
    if since is None:
        return current
    while current == since:
        if stop is not None and stop():
            return None
        time.sleep(interval)
        current = _scan(root) if root.is_dir() else {}
    while True:
        time.sleep(settle)
        again = _scan(root) if root.is_dir() else {}
        if again == current:
            return current
        current = again


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _raw_id(rel: str) -> str:
    """The indicator a file belongs to, as the importer names it (file name without suffix and
    without data files' `indicator_` prefix)."""
    folder, name = rel.split("/", 1)
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if folder == "data" and stem.startswith("indicator_"):
        stem = stem[len("indicator_") :]
    return stem


def _link(src: Path, dst: Path) -> None:
    try:
        dst.symlink_to(src.resolve())
    except OSError:  # no symbolic links here: copy
        shutil.copy2(src, dst)


def _deadline_years(ind: Any) -> list[int]:
    return sorted({a.deadline.year for a in ind.ambitions})


def _options(
    root: Path, framework_id: str | None, owner: str | None, keep_geocode: bool, direction: str
) -> dict[str, Any]:
    return {
        "folder": root.resolve().name,
        "framework_id": framework_id,
        "owner": owner,
        "keep_geocode": keep_geocode,
        "default_direction": direction,
    }


def read_opensdg(
    root: Path,
    export_dir: Path,
    *,
    framework_id: str | None = None,
    owner: str | None = None,
    keep_geocode: bool = False,
    default_direction: str = "none",
    lang: str | None = None,
    rebuild: bool = False,
) -> OpenSdgSource:
    """The repository as a source for `export_open_data`, imported only where it changed since
    the export in `export_dir` was made (see the module's docstring). `lang`: the language the
    export is built in (default: the current one)."""
    from veikart.i18n import current_language

    started = time.perf_counter()
    lang = lang or current_language()
    root = Path(root)
    scanned_ns = time.time_ns()
    stats = _scan(root) if root.is_dir() else {}
    options = _options(root, framework_id, owner, keep_geocode, default_direction)
    old = None if rebuild else _read_cache(export_dir)
    manifest = None if rebuild else read_manifest(export_dir)

    shas: dict[str, str] = {}
    old_files: dict[str, list[Any]] = old["files"] if old else {}
    racy_before = (old["scanned_ns"] - _RACY_NS) if old else 0
    for rel, (size, mtime) in stats.items():
        prev = old_files.get(rel)
        if prev is not None and prev[0] == size and prev[1] == mtime and mtime < racy_before:
            shas[rel] = prev[2]
        else:
            shas[rel] = _sha(root / rel)

    def finish(
        src: OpenSdgSource, indicators: dict[str, Any], plain: bool, order: list[str]
    ) -> OpenSdgSource:
        cache = {
            "format": _FORMAT,
            "options": options,
            "scanned_ns": scanned_ns,
            "files": {rel: [stats[rel][0], stats[rel][1], shas[rel]] for rel in sorted(stats)},
            "plain_ids": plain,
            "order": order,
            "indicators": indicators,
        }
        src.cache = (json.dumps(cache, sort_keys=True, separators=(",", ":")) + "\n").encode()
        src.seconds = time.perf_counter() - started
        return src

    why = _why_full(old, manifest, options, shas, lang)
    if not why:
        assert old is not None and manifest is not None
        changed = sorted(rel for rel in shas if shas[rel] != old_files[rel][2])
        if not changed:
            fw = Framework.model_validate(manifest["framework"])
            src = OpenSdgSource(FrameworkData(fw), "unchanged", list(old["order"]), set(old["order"]))
            return finish(src, old["indicators"], old["plain_ids"], list(old["order"]))
        src_or_why = _import_changed(
            root, changed, old, manifest, options, framework_id, owner, keep_geocode, default_direction
        )
        if isinstance(src_or_why, OpenSdgSource):
            indicators = dict(old["indicators"])
            for ind_id, ind in src_or_why.data.indicators.items():
                indicators[ind_id] = {"deadlines": _deadline_years(ind)}
            return finish(src_or_why, indicators, True, list(old["order"]))
        why = src_or_why
    return finish(*_full(root, stats, why, framework_id, owner, keep_geocode, default_direction))


def _read_cache(export_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((Path(export_dir) / CACHE_DIR / OPENSDG_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("format") == _FORMAT else None


def _why_full(
    old: dict[str, Any] | None,
    manifest: dict[str, Any] | None,
    options: dict[str, Any],
    shas: dict[str, str],
    lang: str,
) -> str:
    if old is None or manifest is None:
        return "no previous export"
    if manifest.get("key") != build_key(lang):
        return "code or language changed"
    if old.get("options") != options:
        return "import options changed"
    if set(old["files"]) != set(shas):
        return "files added or removed"
    for rel, sha in shas.items():
        if sha != old["files"][rel][2] and not rel.startswith("data/"):
            return f"{rel} changed"
    return ""


def _import_changed(
    root: Path,
    changed: list[str],
    old: dict[str, Any],
    manifest: dict[str, Any],
    options: dict[str, Any],
    framework_id: str | None,
    owner: str | None,
    keep_geocode: bool,
    default_direction: str,
) -> OpenSdgSource | str:
    """Import only the indicators whose data files changed; or say why that cannot be done."""
    from veikart.opensdg import import_opensdg

    if not old.get("plain_ids"):
        return "indicator ids differ from file names"
    raw_ids = sorted({_raw_id(rel) for rel in changed})
    known = old["indicators"]
    for raw in raw_ids:
        if raw not in known:
            return f"indicator {raw} was not imported before"
    wanted = set(raw_ids)
    files = [rel for rel in old["files"] if rel != "config_data.yml" and _raw_id(rel) in wanted]
    with tempfile.TemporaryDirectory(prefix="veikart-opensdg-") as tmp:
        mini = Path(tmp) / options["folder"]
        mini.mkdir()
        for folder in _FOLDERS:
            (mini / folder).mkdir()
        for rel in (["config_data.yml"] if (root / "config_data.yml").is_file() else []) + files:
            _link(root / rel, mini / rel)
        fw_id = manifest["framework"]["id"] if framework_id is None else framework_id
        data, report = import_opensdg(
            mini, fw_id, owner=owner, keep_geocode=keep_geocode, default_direction=default_direction
        )
    if sorted(data.indicators) != raw_ids:
        return "a changed indicator could not be imported on its own"
    for ind_id, ind in data.indicators.items():
        if _deadline_years(ind) != known[ind_id].get("deadlines"):
            return f"the ambitions of {ind_id} changed"
    fw = Framework.model_validate(manifest["framework"])
    out = FrameworkData(fw, dict(data.indicators), dict(data.observations), {})
    order = list(old["order"])
    return OpenSdgSource(out, "changed", order, set(order) - wanted, report, changed)


def _full(
    root: Path,
    stats: dict[str, tuple[int, int]],
    why: str,
    framework_id: str | None,
    owner: str | None,
    keep_geocode: bool,
    default_direction: str,
) -> tuple[OpenSdgSource, dict[str, Any], bool, list[str]]:
    from veikart.opensdg import import_opensdg

    data, report = import_opensdg(
        root, framework_id, owner=owner, keep_geocode=keep_geocode, default_direction=default_direction
    )
    raw = {_raw_id(rel) for rel in stats if rel != "config_data.yml"}
    plain = all(ind_id in raw for ind_id in data.indicators)
    indicators = {ind_id: {"deadlines": _deadline_years(ind)} for ind_id, ind in data.indicators.items()}
    order = list(data.indicators)
    src = OpenSdgSource(data, "full", None, set(), report, sorted(stats), why)
    return src, indicators, plain, order
