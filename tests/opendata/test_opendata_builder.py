"""The builder process `veikart export-data` forks before the command line loads (builder.py):
when it is started, what it runs, that it gives the same files, and that it always stops."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from tests.opendata.conftest import every_byte, published_files
from veikart.core.dataset import FrameworkData
from veikart.opendata import builder, export_open_data
from veikart.opendata import export as export_mod
from veikart.opendata import render as render_mod


@pytest.fixture
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """The builder starts only with a second CPU; hold the tests to that case on any machine."""
    monkeypatch.setattr(builder, "_cpus", lambda: 2)


@pytest.fixture(autouse=True)
def no_builder_left() -> None:  # type: ignore[misc]
    yield
    builder.stop()


@pytest.mark.parametrize(
    "argv",
    [
        ["export-data", "out"],
        ["--lang", "en", "export-data", "out", "--from-opensdg", "repo"],
        ["--db=sqlite:///x", "export-data", "out", "--jobs", "2"],
        ["--db", "export-data", "export-data", "out", "--jobs=4"],  # a database file so named
    ],
)
def test_an_export_wants_the_builder(argv: list[str]) -> None:
    assert builder.wanted(argv)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["report", "--out", "export-data"],  # another command, whatever its arguments
        ["--db", "export-data", "report"],
        ["export-data", "out", "--watch", "--from-opensdg", "repo"],  # watching keeps its own
        ["export-data", "--help"],
        ["--version", "export-data"],
        ["export-data", "out", "--jobs", "1"],  # no worker processes asked for
        ["export-data", "out", "--jobs=1"],
        ["export-data", "out", "--jobs"],
    ],
)
def test_other_command_lines_do_not(argv: list[str]) -> None:
    assert not builder.wanted(argv)


def _fails() -> None:
    raise ValueError("in the builder")


def test_the_builder_answers_in_order_and_sends_exceptions_back(two_cpus: None) -> None:
    b = builder.Builder()
    try:
        first = b.submit(os.getpid)
        failing = b.submit(_fails)
        second = b.submit(str.upper, "ok")
        big = b.submit(len, b"x" * 5_000_000)  # messages far larger than a pipe holds at once
        bigger = b.submit(bytes, 3_000_000)
        assert bigger() == bytes(3_000_000) and big() == 5_000_000
        assert second() == "OK"  # answers received before are kept for their callers
        assert first() not in (os.getpid(), None)  # it ran in the builder process
        with pytest.raises(ValueError, match="in the builder"):
            failing()
    finally:
        b.stop()


def test_a_stopped_builder_says_so_instead_of_hanging(two_cpus: None) -> None:
    b = builder.Builder()
    pending = b.submit(time.sleep, 30)
    started = time.monotonic()
    b.stop()  # at once, although it is still importing or sleeping
    assert time.monotonic() - started < 5
    with pytest.raises(builder.BuilderStopped):
        pending()


def test_a_rerun_through_the_builder_gives_the_same_bytes_without_assessing_here(
    data: FrameworkData, tmp_path: Path, two_cpus: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    export_open_data(data, here, jobs=1)
    export_open_data(data, there, jobs=1)
    data.observations["ventetid"].values[-1] = 20.0
    assert export_open_data(data, here, jobs=1).built_in == "process"

    builder.start()

    def not_here(job: object) -> None:
        raise AssertionError("assessed in this process although the builder was started")

    # after the fork: the builder keeps the real one
    monkeypatch.setattr(render_mod, "assess_indicator", not_here)
    result = export_open_data(data, there)
    assert result.rebuilt == ["ventetid"] and result.built_in == "builder"
    assert builder.take() is None  # taken, and stopped by the build
    assert every_byte(there) == every_byte(here)


def test_a_build_of_many_indicators_stops_the_builder_and_uses_its_own_workers(
    data: FrameworkData, tmp_path: Path, two_cpus: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_mod, "_PARALLEL_FROM", 2)
    builder.start()
    started = builder._STARTED["builder"]
    result = export_open_data(data, tmp_path / "open", jobs=2)
    assert sorted(result.rebuilt) == ["andel-digital", "ventetid"] and result.built_in == "workers"
    assert builder.take() is None
    with pytest.raises(ProcessLookupError):  # ended and reaped
        os.kill(started.pid, 0)


@pytest.mark.parametrize(("argv", "expected"), [(["export-data", "out"], ["start", "cli", "stop"]), (["report"], ["cli", "stop"])])
def test_the_entry_point_starts_the_builder_first_and_always_stops_it(
    argv: list[str], expected: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import veikart.cli
    from veikart.__main__ import main

    calls: list[str] = []

    def cli_main() -> None:
        calls.append("cli")
        raise SystemExit(2)  # a failing command

    monkeypatch.setattr(builder, "start", lambda: calls.append("start"))
    monkeypatch.setattr(builder, "stop", lambda: calls.append("stop"))
    monkeypatch.setattr(veikart.cli, "main", cli_main)
    monkeypatch.setattr(sys, "argv", ["veikart", *argv])
    try:
        with pytest.raises(SystemExit):
            main()
    finally:
        gc.unfreeze()  # main froze the collector's objects for the exit
    assert calls == expected


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            return any(line.startswith("State:") and "Z" in line.split()[1] for line in fh)
    except FileNotFoundError:
        return True


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_a_builder_whose_command_was_killed_ends_too(tmp_path: Path) -> None:
    """SIGKILL leaves the command no time to stop its builder: the builder sees its requests'
    pipe close and ends by itself, instead of waiting for ever."""
    import signal
    import subprocess

    script = (
        "import os, sys, time\n"
        "from veikart.opendata import builder\n"
        "builder._cpus = lambda: 2\n"
        "builder.start()\n"
        "print(builder._STARTED['builder'].pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        child = int(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    deadline = time.monotonic() + 30  # it may finish its imports first
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(child)


def test_if_the_builder_ends_the_command_builds_here(
    data: FrameworkData, tmp_path: Path, two_cpus: None
) -> None:
    here, there = tmp_path / "here", tmp_path / "there"
    export_open_data(data, here, jobs=1)
    export_open_data(data, there, jobs=1)
    data.observations["ventetid"].values[-1] = 20.0
    export_open_data(data, here, jobs=1)
    builder.start()
    import signal

    os.kill(builder._STARTED["builder"].pid, signal.SIGKILL)  # as the out-of-memory killer would
    result = export_open_data(data, there)
    assert result.rebuilt == ["ventetid"] and result.built_in == "process"
    assert every_byte(there) == every_byte(here)


def test_no_builder_when_the_system_refuses_a_process(two_cpus: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full process table or strict memory accounting: the command builds everything itself,
    and the pipes opened for the builder are closed again."""
    import errno

    def no_fork() -> int:
        raise OSError(errno.EAGAIN, os.strerror(errno.EAGAIN))

    fds = len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").is_dir() else None
    monkeypatch.setattr(os, "fork", no_fork)
    builder.start()
    assert builder.take() is None
    if fds is not None:
        assert len(os.listdir("/proc/self/fd")) == fds


def test_a_command_killed_with_requests_queued_leaves_no_traceback_behind(tmp_path: Path) -> None:
    """SIGTERM's default action runs no clean-up: the builder, with work queued for a command
    that is gone, ends without answering and without writing to the terminal they share."""
    import subprocess

    script = (
        "import os, signal, time\n"
        "from veikart.opendata import builder\n"
        "builder._cpus = lambda: 2\n"
        "builder.start()\n"
        "b = builder._STARTED['builder']\n"
        "for _ in range(3):\n"
        "    b.submit(time.sleep, 0.3)\n"
        "time.sleep(0.2)\n"
        "os.kill(os.getpid(), signal.SIGTERM)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True, env=env)
    started = time.monotonic()
    assert proc.stderr is not None
    err = proc.stderr.read()  # ends when every holder of the stderr pipe, the builder too, has ended
    proc.wait(timeout=30)
    assert time.monotonic() - started < 20
    assert "Traceback" not in err, err


def test_the_command_builds_through_its_builder_and_gives_the_same_files(opensdg_repo: Path, tmp_path: Path) -> None:
    """`python -m veikart export-data` as users run it: the export and a rerun after one changed
    CSV are built by the builder it forked first (with two CPUs or more), and give the bytes
    that `--jobs 1` (no other process) gives."""
    import json
    import subprocess

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "XDG_DATA_HOME": str(tmp_path / "data")}
    expected = "builder" if builder._cpus() >= 2 else "process"

    def export(out: Path, *extra: str) -> dict:
        cmd = [sys.executable, "-m", "veikart", "export-data", str(out), "--from-opensdg", str(opensdg_repo), "--json"]
        proc = subprocess.run([*cmd, *extra], capture_output=True, text=True, env=env, timeout=120, check=True)
        return json.loads(proc.stdout)

    first = export(tmp_path / "open")
    assert first["built_in"] == expected and len(first["rebuilt"]) == 3
    csv = opensdg_repo / "data" / "indicator_3-1-1.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("2015,90.0", "2015,91.0"), encoding="utf-8")
    rerun = export(tmp_path / "open")
    assert rerun["rebuilt"] == ["3-1-1"] and rerun["built_in"] == expected
    alone = export(tmp_path / "alone", "--jobs", "1")
    assert alone["built_in"] == "process"
    assert published_files(tmp_path / "open") == published_files(tmp_path / "alone")  # the cache holds file times


def test_a_builder_that_fails_says_so_in_one_line_and_the_command_builds_without_it(tmp_path: Path) -> None:
    import subprocess

    script = (
        "import time\n"
        "from veikart.opendata import builder\n"
        "builder._cpus = lambda: 2\n"
        "builder.MODULES = ('veikart.no_such_module',)\n"
        "builder.start()\n"
        "b = builder.take()\n"
        "try:\n"
        "    b.submit(str.upper, 'x')()\n"
        "except builder.BuilderStopped:\n"
        "    print('stopped')\n"
        "b.stop()\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "VEIKART_LANG": "nb"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.strip() == "stopped"
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "byggeprosess feilet" in lines[0] and "no_such_module" in lines[0], done.stderr
