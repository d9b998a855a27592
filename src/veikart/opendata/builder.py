"""The builder process `veikart export-data` starts before anything else.

Assessing an indicator and drawing its chart import numpy and Altair: about half a second, more
than all the rest of a rerun after one changed CSV. So `python -m veikart` / `veikart` forks one
builder process as its very first step when the command line asks for an export (`wanted`): the
builder imports those on the second CPU while this process loads the command line, reads the
data and works out what changed. A build of fewer than `export._PARALLEL_FROM` indicators
(`take`) then has the builder assess them and draw their charts while this process writes their
tables, and never imports numpy or Altair itself; a larger build stops it and forks its own
workers, which inherit the modules it imports then.

The builder is a plain forked process with two pipes carrying pickles, each after its length,
not a multiprocessing pool or process: importing multiprocessing (30 ms) would hold back the
fork, or the builder's readiness; a pool's threads share this process's interpreter lock with the
work it does meanwhile, and stopping a pool waits for its housekeeping thread's next tick (up to
0.1 s). Requests are pickled here and written by one sending thread, which waits in the
operating system while the builder is still importing, so that this process goes on with its
own work. On Linux the kernel ends the builder with the command (PR_SET_PDEATHSIG); elsewhere it
ends when its requests' pipe closes or at its next request.

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
        import queue

        command = os.getpid()
        requests_in, requests_out = os.pipe()
        results_in, results_out = os.pipe()
        try:
            pid = os.fork()
        except BaseException:  # refused (too many processes, no memory): no pipes left open
            for fd in (requests_in, requests_out, results_in, results_out):
                os.close(fd)
            raise
        if pid == 0:  # the builder; it never returns from here
            code = 1
            try:
                os.close(requests_out)
                os.close(results_in)
                _serve(requests_in, results_out, command)
                code = 0
            except BaseException as exc:  # noqa: BLE001 - the command builds without it; say why, in one line
                _failed(exc)
            finally:
                os._exit(code)  # no clean-up of the command's: its files, atexit, buffers
        os.close(requests_in)
        os.close(results_out)
        self.pid = pid
        self._requests, self._results = requests_out, results_in  # pipe ends (file descriptors)
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._sender: Any = None
        self._sent = 0
        self._answers: dict[int, tuple[bool, Any, str]] = {}
        self._received = 0
        self._stopped = False

    def submit(self, fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
        """Send `fn(*args)` to the builder (`fn` importable by name); returns a function that
        waits for its result (or raises its exception)."""
        import pickle
        import threading

        if self._stopped:
            raise BuilderStopped("the builder was stopped")
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
                _send(self._requests, payload)
            except OSError:
                return  # the builder was stopped

    def _answer(self, index: int) -> Any:
        import pickle

        while index not in self._answers:
            if self._stopped:
                raise BuilderStopped("the builder was stopped before it answered")
            try:
                message = _receive(self._results)
            except (EOFError, OSError):
                raise BuilderStopped("the builder process ended before it answered") from None
            try:
                answer = pickle.loads(message)
            except Exception as exc:  # noqa: BLE001 - an answer that does not unpickle here
                answer = (False, BuilderStopped(f"the builder's answer could not be read: {exc!r}"), "")
            self._answers[self._received] = answer
            self._received += 1
        ok, value, trace = self._answers.pop(index)  # not kept: a chart spec may be megabytes
        if not ok:
            if trace:
                value.add_note(f"in the builder process:\n{trace}")
            raise value
        return value

    def stop(self) -> None:
        """Stop the builder at once (it may still be importing, or working on a request no one
        will ask for), and close the pipes."""
        import signal

        if self._stopped:
            return
        self._stopped = True
        self._outbox.put(None)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        if self._sender is not None:  # its write fails at once now; then its pipe may close
            self._sender.join()
        os.close(self._requests)
        os.close(self._results)


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


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this process may run on
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def start() -> None:
    """Fork the builder (once; nothing without fork, with one CPU, or if the system refuses a
    new process: the command then builds everything itself)."""
    if _STARTED or _cpus() < 2 or not hasattr(os, "fork"):
        return
    try:
        _STARTED["builder"] = Builder()
    except OSError:
        pass


def take() -> Builder | None:
    """The builder, if one was started and no build took it yet; the caller stops it."""
    return _STARTED.pop("builder", None)


def stop() -> None:
    """Stop the builder if no build took it."""
    builder = take()
    if builder is not None:
        builder.stop()


def _serve(requests: int, results: int, command: int) -> None:
    """The builder: import, then run what it is sent until the pipe closes or the command ends."""
    import gc
    import importlib
    import pickle
    import signal
    import traceback

    # Ctrl-C reaches every process of the terminal: the command stops the builder itself
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with(command)
    gc.disable()  # importing makes many objects and no garbage: collecting meanwhile costs 20 %
    for name in MODULES:
        importlib.import_module(name)
    from veikart.i18n import LANGUAGES, translations

    for lang in LANGUAGES:  # forked before the command chose its language: load both catalogues
        translations(lang)
    gc.freeze()  # what the imports made stays: later collections need not look at it again
    gc.enable()
    while os.getppid() == command:  # a command killed before it could stop us: nobody to answer
        try:
            fn, args = pickle.loads(_receive(requests))
        except EOFError:
            return
        try:
            answer: tuple[bool, Any, str] = (True, fn(*args), "")
        except Exception as exc:  # noqa: BLE001 - sent back, raised there
            answer = (False, exc, traceback.format_exc())
        try:
            message = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an answer that does not pickle
            failed = (False, BuilderStopped(f"the builder's answer could not be sent: {exc!r}"), "")
            message = pickle.dumps(failed, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            _send(results, message)
        except OSError:
            return  # the command is gone


#: A message on a pipe: its length (8 bytes, big-endian), then its bytes.
_LENGTH = 8


def _send(fd: int, message: bytes) -> None:
    view = memoryview(len(message).to_bytes(_LENGTH, "big") + message)
    while view:  # a pipe may take a long message in parts
        view = view[os.write(fd, view) :]


def _receive(fd: int) -> bytes:
    """The next message; EOFError when the other end closed the pipe."""
    return _exactly(fd, int.from_bytes(_exactly(fd, _LENGTH), "big"))


def _exactly(fd: int, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = os.read(fd, min(size - len(data), 1 << 20))
        if not chunk:
            raise EOFError
        data += chunk
    return bytes(data)


def _failed(exc: BaseException) -> None:
    """One line on stderr: the builder failed (the command goes on without it). In the language
    of VEIKART_LANG (forked before the command read --lang)."""
    try:
        from veikart.i18n import _

        text = _("the export's builder process failed ({error}); the command builds without it")
    except Exception:  # noqa: BLE001 - veikart.i18n itself may be what failed
        text = "the export's builder process failed ({error}); the command builds without it"
    try:
        os.write(2, f"veikart: {text.format(error=repr(exc))}\n".encode("utf-8", "replace"))
    except OSError:
        pass


def _end_with(command: int) -> None:
    """On Linux, have the kernel end this process when the command's process ends (killed
    included); elsewhere the loop above notices on its next request. The kernel watches the
    thread that forked: `start` is called from the main thread (veikart/__main__.py)."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = ctypes.c_int(1)
        none = ctypes.c_ulong(0)
        if libc.prctl(pr_set_pdeathsig, ctypes.c_ulong(signal.SIGKILL), none, none, none) != 0:
            return  # refused: the loop in _serve notices instead
    except (OSError, AttributeError):
        return
    if os.getppid() != command:  # the command ended before the request took effect
        os._exit(0)
