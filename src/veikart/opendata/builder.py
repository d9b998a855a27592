"""The builder process `veikart export-data` starts before anything else.

Assessing an indicator and drawing its chart import numpy and Altair: about half a second, more
than all the rest of a rerun after one changed CSV. So `python -m veikart` / `veikart` forks one
builder process as its very first step when the command line asks for an export (`wanted`): the
builder imports those on the second CPU while this process loads the command line, reads the
data and works out what changed. A build of fewer than `export._PARALLEL_FROM` indicators
(`take`) then has the builder assess them and draw their charts while this process writes their
tables, and never imports numpy or Altair itself; a larger build stops it and forks its own
workers, which inherit the modules it imports then.

The builder is a plain process with two pipes, not a multiprocessing pool: a pool's threads
share this process's interpreter lock with the work it does meanwhile, and stopping a pool waits
for its housekeeping thread's next tick (up to 0.1 s). Requests are pickled here and written by
one sending thread, which waits in the operating system while the builder is still importing,
so that this process goes on with its own work.

This module imports nothing but the standard library: it runs before the command line loads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["MODULES", "Builder", "start", "stop", "take", "wanted"]

#: What assessing an indicator and drawing its chart import.
MODULES = (
    "veikart.opendata.export",
    "veikart.core.assess",
    "veikart.views.charts",
    "veikart.views.records",
)
_COMMAND = "export-data"
#: Options of the main command that take a value (`veikart --lang en export-data ...`).
_MAIN_OPTIONS_WITH_VALUE = ("--db", "--lang")
_STARTED: dict[str, Builder] = {}


class BuilderStopped(RuntimeError):
    """The builder process ended before it answered."""


class Builder:
    """One forked process that runs the functions it is sent, in order."""

    def __init__(self) -> None:
        import multiprocessing
        import queue

        ctx = multiprocessing.get_context("fork")
        requests_in, self._requests = ctx.Pipe(duplex=False)
        self._results, results_out = ctx.Pipe(duplex=False)
        self._process = ctx.Process(
            target=_serve,
            args=(requests_in, results_out, (self._requests, self._results)),
            name="veikart-builder",
            daemon=True,
        )
        self._process.start()
        requests_in.close()
        results_out.close()
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._sender: Any = None
        self._sent = 0
        self._answers: list[tuple[bool, Any]] = []

    def submit(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """Send `fn(*args)` to the builder (`fn` importable by name); returns a function that
        waits for its result (or raises its exception)."""
        import pickle
        import threading

        payload = pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL)
        if self._sender is None:
            self._sender = threading.Thread(target=self._send, name="veikart-builder-send", daemon=True)
            self._sender.start()
        self._outbox.put(payload)
        index = self._sent
        self._sent += 1
        return lambda: self._answer(index)

    def _send(self) -> None:
        while (payload := self._outbox.get()) is not None:
            try:
                self._requests.send_bytes(payload)
            except OSError:
                return  # the builder was stopped

    def _answer(self, index: int) -> Any:
        while len(self._answers) <= index:
            try:
                self._answers.append(self._results.recv())
            except (EOFError, OSError):
                raise BuilderStopped("the builder process ended before it answered") from None
        ok, value = self._answers[index]
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        """Stop the builder at once (it may still be importing, or working on a request no one
        will ask for)."""
        self._outbox.put(None)
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        if self._sender is not None:  # its write fails at once now; then its pipe may close
            self._sender.join()
        self._results.close()
        self._requests.close()


def wanted(argv: Sequence[str]) -> bool:
    """Whether this command line runs an export that a builder started now would serve: the
    `export-data` command, not watching (a watching process keeps the modules itself), not
    asking for help or the version, and not limited to `--jobs 1` (no worker processes)."""
    rest: Sequence[str] = ()
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _MAIN_OPTIONS_WITH_VALUE:
            i += 2
        elif arg.startswith("-"):
            if arg in ("--help", "--version"):
                return False
            i += 1
        else:
            if arg != _COMMAND:
                return False
            rest = argv[i + 1 :]
            break
    else:
        return False
    for j, arg in enumerate(rest):
        if arg == "--":
            break
        if arg in ("--watch", "--help"):
            return False
        if arg == "--jobs" or arg.startswith("--jobs="):
            value = arg.split("=", 1)[1] if "=" in arg else (rest[j + 1] if j + 1 < len(rest) else "")
            if not value.isdigit() or int(value) < 2:
                return False
    return True


def start() -> None:
    """Fork the builder (once; nothing without fork or with one CPU)."""
    import multiprocessing

    if _STARTED or (os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return
    _STARTED["builder"] = Builder()


def take() -> Builder | None:
    """The builder, if one was started and no build took it yet; the caller stops it."""
    return _STARTED.pop("builder", None)


def stop() -> None:
    """Stop the builder if no build took it."""
    builder = take()
    if builder is not None:
        builder.stop()


def _serve(requests: Any, results: Any, theirs: tuple[Any, ...]) -> None:
    """The builder: import, then run what it is sent until the pipe closes."""
    import importlib
    import pickle
    import signal

    for end in theirs:  # the command's ends: held here too, its death would never close the pipe
        end.close()
    # Ctrl-C reaches every process of the terminal: the command stops the builder itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in MODULES:
        importlib.import_module(name)
    from veikart.i18n import LANGUAGES, translations

    for lang in LANGUAGES:  # forked before the command chose its language: load both catalogues
        translations(lang)
    while True:
        try:
            fn, args = pickle.loads(requests.recv_bytes())
        except EOFError:
            return
        try:
            answer: tuple[bool, Any] = (True, fn(*args))
        except Exception as exc:  # noqa: BLE001 - sent back, raised there
            answer = (False, exc)
        try:
            results.send(answer)
        except Exception as exc:  # noqa: BLE001 - an answer that does not pickle
            results.send((False, BuilderStopped(f"the builder's answer could not be sent: {exc!r}")))
