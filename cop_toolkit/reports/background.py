"""Work done in a second process while this one carries on.

A report is a row of sections, each mostly plotly building figures, which
runs on one core. On a machine with two or more cores, :func:`start` hands
some of that work to a copy of this process (``os.fork``: the copy has the
map, the imports and everything else already loaded, so it starts at once),
and :meth:`Pending.result` collects each piece as soon as it is made.

The copy never talks to the notebook: its output goes nowhere, warnings are
recorded and repeated here when the result is collected. If anything goes
wrong in the copy, :meth:`Pending.result` says so by returning ``None`` and
the caller does the work itself, so a result is never lost, only late.

Only on Linux: macOS and Windows do not fork safely or at all, and there the
work simply stays in this process.

Examples
--------
>>> job = start({"sum": lambda: sum(range(10))})
>>> job is None or job.result("sum") == 45
True
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
import sys
import threading
import warnings
from collections.abc import Callable
from typing import Any

from cop_toolkit.analysis.engine import WORKERS_VARIABLE

__all__ = ["Pending", "can_fork", "start"]


def can_fork() -> bool:
    """Whether work can go to a second process here: Linux, with more than one core to run it on.

    Examples
    --------
    >>> isinstance(can_fork(), bool)
    True
    """
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - every Linux Python has it
        cores = os.cpu_count() or 1
    return cores > 1


class Pending:
    """The results a forked process is working out, one per job (see :func:`start`).

    Examples
    --------
    >>> job = start({"a": lambda: 1, "b": lambda: 2})
    >>> job is None or (isinstance(job, Pending) and job.result("b") + job.result("a") == 3)
    True
    """

    def __init__(self, pid: int, read_fd: int) -> None:
        self._pid = pid
        self._done: dict[str, tuple[str, Any, list]] = {}
        self._ended = False
        self._arrived = threading.Condition()
        # read while the copy writes, so it never waits on a full pipe
        self._reader = threading.Thread(target=self._read, args=(read_fd,), daemon=True)
        self._reader.start()

    def _read(self, fd: int) -> None:
        try:
            with os.fdopen(fd, "rb") as pipe:
                while len(head := pipe.read(_HEADER.size)) == _HEADER.size:
                    body = pipe.read(_HEADER.unpack(head)[0])
                    key, status, value, caught = pickle.loads(body)
                    with self._arrived:
                        self._done[key] = (status, value, caught)
                        self._arrived.notify_all()
        except Exception:  # a broken answer: the jobs it did not bring are done by the caller
            pass
        finally:
            os.waitpid(self._pid, 0)
            with self._arrived:
                self._ended = True
                self._arrived.notify_all()

    def result(self, key: str) -> Any:
        """Wait for one job; return what it made, or ``None`` if it failed.

        Warnings the job raised in the copy are raised again here, once.

        Examples
        --------
        >>> job = start({"where": lambda: "made elsewhere"})
        >>> job is None or job.result("where") == "made elsewhere"
        True
        """
        with self._arrived:
            self._arrived.wait_for(lambda: key in self._done or self._ended)
            status, value, caught = self._done.pop(key, ("failed", None, []))
        for message, category in caught:
            warnings.warn(message, category, stacklevel=2)
        return value if status == "ok" else None


#: each answer from the copy: its length, then the pickled (key, status, value, warnings)
_HEADER = struct.Struct(">Q")


def _run_in_copy(jobs: dict[str, Callable[[], Any]], write_fd: int) -> None:
    """In the forked copy: do the jobs in order, send back each result as it is ready, leave without cleaning up."""
    try:
        # The notebook's streams belong to the parent's kernel threads, which
        # the copy does not have: send all output nowhere.
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        os.dup2(null, 2)
        os.environ[WORKERS_VARIABLE] = "1"  # this process already takes the other core: no engine workers
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - closed by os._exit
        with os.fdopen(write_fd, "wb") as pipe:
            for key, func in jobs.items():
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    try:
                        answer: tuple = (key, "ok", func())
                    except Exception:
                        answer = (key, "failed", None)
                    recorded = [(str(w.message), w.category) for w in caught]
                try:
                    body = pickle.dumps(answer + (recorded,), protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:
                    body = pickle.dumps((key, "failed", None, recorded))
                pipe.write(_HEADER.pack(len(body)) + body)
                pipe.flush()
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers


def start(jobs: dict[str, Callable[[], Any]]) -> Pending | None:
    """Run the jobs, in order, in a forked copy of this process; ``None`` where that cannot be done.

    Each job's result (picklable) can be collected as soon as that job is
    done, with :meth:`Pending.result`. The copy sees this process as it is
    now; nothing it changes comes back except the results.

    Examples
    --------
    >>> job = start({"numbers": lambda: [1, 2, 3], "word": lambda: "four"})
    >>> ([1, 2, 3], "four") if job is None else (job.result("numbers"), job.result("word"))
    ([1, 2, 3], 'four')
    """
    if not can_fork():
        return None
    read_fd, write_fd = os.pipe()
    # The copy shares this process's memory until either writes to it. Python's
    # garbage collector writes to every object it looks at, so objects that exist
    # now are kept out of its sight in the copy (gc.freeze): the copy then holds
    # only what it makes, not a second copy of the map and its tables.
    gc.freeze()
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns that forking a process with threads (a Jupyter
            # kernel has several) may deadlock the copy if it uses what those
            # threads hold; the copy touches none of it (see _run_in_copy).
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except BaseException:
        gc.unfreeze()
        raise
    if pid == 0:  # pragma: no cover - runs in the copy, which leaves through os._exit
        os.close(read_fd)
        _run_in_copy(jobs, write_fd)
    gc.unfreeze()  # here, everything is collected as before
    os.close(write_fd)
    return Pending(pid, read_fd)
