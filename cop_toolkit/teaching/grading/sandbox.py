"""Running one submission where it cannot reach anything else.

The grader starts a *runner* (``python -I -B -m cop_toolkit.teaching.grading.sandbox CONFIG``)
in a new session, with a clean environment, in a fresh temporary folder that
holds only a copy of the notebook, a fresh HOME and a fresh TMPDIR. When the
grader runs as root, the runner, before it reads anything a student wrote:

* makes its own mount namespace (when the system allows it) in which the
  submissions folder, the output folders and the grader's own code are empty,
  read-only folders, and a folder such as ``/root`` that holds the Python
  installation shows only that installation;
* becomes an unprivileged user of its own (a numeric uid not in
  ``/etc/passwd``, one per notebook being run at the same time), so it cannot
  write the Python environment nor read or signal anyone else's files and
  processes;
* sets resource limits (CPU time, memory, processes, file size, open files)
  and ``no_new_privs``, and dies with the grader (``PR_SET_PDEATHSIG``).

It then runs the notebook with nbclient in a guarded kernel
(:func:`cop_toolkit.teaching.coursework.run_kernel`) and hands back what
happened on its standard output. The map the submission is marked on is
copied into its folder and given to it as papermill would: a cell setting
``map_path`` runs right after its parameters cell. Afterwards the grader kills the runner's
session by its own handle and then every process of the sandbox user (or,
not as root, every process carrying this run's marker), and counts those that
were still alive: a submission that leaves processes behind is flagged.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import math
import os
import pwd
import resource
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

import cop_toolkit
from cop_toolkit.core.errors import MapError
from cop_toolkit.teaching.grading.maps import DATASET, parameters_cell

__all__ = ["Limits", "claim_uid", "environment_files", "probe_sandbox", "run_child", "run_notebook", "sandbox_processes"]

RESULT_MARK = "COP-GRADE-RESULT "
#: Hidden cases for the student's function: (map, element). "tiny" is the game's practice map.
FUNCTION_CASES: list[tuple[str, str]] = [
    ("coursework-2019", "slfha"),
    ("coursework-2019", "Greenwich Homes and Food Forum"),
    ("coursework-2019", "funmi-adeyemi"),
    ("coursework-2019", "Walworth Housing Law Centre"),
    ("tiny", "bnet"),
    ("tiny", "Far End Tenants"),
]
#: Extra wall time for starting the kernel and running the hidden cell (the function's hidden cases).
HIDDEN_LIMIT = 10
#: After a cell runs out of time, each later cell gets LATER_CELL_LIMIT seconds, EXTRA_TIME in all.
LATER_CELL_LIMIT = 5
EXTRA_TIME = 30
MARGIN = 30 + EXTRA_TIME + LATER_CELL_LIMIT + HIDDEN_LIMIT * len(FUNCTION_CASES)
FIRST_UID = 64000
_CLONE_NEWNS, _MS_RDONLY, _MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 0x20000, 1, 32, 4096, 1 << 14, 1 << 18
_GRADER_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Limits:
    """Resource limits for a submission's processes (each process; processes count per sandbox user).

    Examples
    --------
    >>> Limits.for_timeout(60).cpu_seconds > 60
    True
    """

    cpu_seconds: int
    memory_bytes: int = 4 * 2**30
    processes: int = 256
    file_size: int = 200 * 2**20
    open_files: int = 512

    @classmethod
    def for_timeout(cls, timeout: float) -> Limits:
        """Limits that let a notebook use its whole time limit, and no more."""
        return cls(cpu_seconds=math.ceil(timeout) + MARGIN)


# ------------------------------------------------------------------ processes of a sandbox
def _proc_fields(pid: str) -> tuple[set[int], str]:
    """The uids (real, effective, saved) and the state of a process."""
    status = Path(f"/proc/{pid}/status").read_text()
    uids: set[int] = set()
    state = ""
    for line in status.splitlines():
        if line.startswith("Uid:"):
            uids = {int(x) for x in line.split()[1:4]}
        elif line.startswith("State:"):
            state = line.split()[1]
    return uids, state


def sandbox_processes(uid: int | None, marker: str) -> list[int]:
    """Live (not zombie) processes of the sandbox user ``uid``, or, for ``uid=None``, carrying ``marker``.

    Examples
    --------
    >>> sandbox_processes(None, "COP_GRADE_BOX=no-such-run")
    []
    """
    found: list[int] = []
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == me:
            continue
        try:
            uids, state = _proc_fields(entry)
            if state in ("Z", "X"):
                continue
            if uid is not None:
                if uid in uids:
                    found.append(int(entry))
            elif os.getuid() in uids and marker.encode() in Path(f"/proc/{entry}/environ").read_bytes():
                found.append(int(entry))
        except (OSError, ValueError):
            continue
    return found


def _sweep(uid: int | None, marker: str) -> None:
    """Kill every process of the sandbox until none is left."""
    for _ in range(200):
        pids = sandbox_processes(uid, marker)
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.02)


def _free_uids() -> Iterator[int]:
    """Numeric uids that no account uses and no process runs as."""
    busy = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                busy |= _proc_fields(entry)[0]
            except (OSError, ValueError):
                continue
    for uid in range(FIRST_UID, FIRST_UID + 1000):
        try:
            pwd.getpwuid(uid)
            continue
        except KeyError:
            pass
        if uid not in busy:
            yield uid


@contextlib.contextmanager
def claim_uid() -> Iterator[int]:
    """Hold a sandbox uid of our own (root only): free, and locked against every other grader.

    Examples
    --------
    >>> with claim_uid() as uid:          # doctest: +SKIP
    ...     uid >= FIRST_UID
    True
    """
    for uid in _free_uids():
        fd = os.open(os.path.join(tempfile.gettempdir(), f"cop-grade-uid-{uid}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue
        try:
            yield uid
        finally:
            os.close(fd)
        return
    raise MapError("there is no free user id left to run notebooks as", fix="run fewer graders at once")


# ------------------------------------------------------------------ the environment a submission could change
def environment_files() -> dict[str, int]:
    """Files where planted code would run in later Python processes -> their owner.

    The top level of every site-packages folder and of the standard library,
    and the whole toolkit package.

    Examples
    --------
    >>> any(p.endswith(".pth") for p in environment_files())
    True
    """
    folders = {sysconfig.get_paths()[k] for k in ("purelib", "platlib", "stdlib")}
    found: dict[str, int] = {}
    for folder in folders:
        try:
            with os.scandir(folder) as it:
                for e in it:
                    found[e.path] = e.stat(follow_symlinks=False).st_uid
        except OSError:
            continue
    for root, _dirs, files in os.walk(Path(cop_toolkit.__file__).parent):
        for name in files:
            path = os.path.join(root, name)
            try:
                found[path] = os.lstat(path).st_uid
            except OSError:
                continue
    return found


# ------------------------------------------------------------------ the grader's side
def _reader(stream: Any, keep: deque, limit: int) -> threading.Thread:
    """Read a pipe to its end in a thread, keeping only its last ``limit`` bytes."""

    def run() -> None:
        size = 0
        for chunk in iter(lambda: stream.read(65536), b""):
            keep.append(chunk)
            size += len(chunk)
            while size > limit and len(keep) > 1:
                size -= len(keep.popleft())
        stream.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _prepare_box(notebook: Path, uid: int | None, map_name: str, map_file: str | None) -> Path:
    box = Path(tempfile.mkdtemp(prefix="cop-grade-"))
    for sub in ("home", "tmp"):
        (box / sub).mkdir()
    shutil.copyfile(notebook, box / "submission.ipynb")
    owned = [box, box / "home", box / "tmp", box / "submission.ipynb"]
    if map_file is not None:
        # the lecturer's map, under the name the notebook opens it by (a plain file name: see maps.GivenMaps)
        shutil.copyfile(map_file, box / os.path.basename(map_name), follow_symlinks=False)
        owned.append(box / os.path.basename(map_name))
    if uid is not None:
        for path in owned:
            os.chown(path, uid, uid)
    return box


def _clean_env(box: Path, marker: str) -> dict[str, str]:
    return {"PATH": os.path.dirname(sys.executable) + ":/usr/local/bin:/usr/bin:/bin", "HOME": str(box / "home"),
            "TMPDIR": str(box / "tmp"), "LANG": "C.UTF-8", "USER": "student", "LOGNAME": "student",
            "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1", "COP_GRADE_BOX": marker.split("=", 1)[1]}


def run_notebook(notebook: Path, timeout: float = 120, *, uid: int | None = None, hide: tuple[str, ...] = (),
                 map_name: str = DATASET, map_file: str | None = None,
                 cases: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    """Run one submission in a sandbox (see the module notes); return what happened.

    ``map_name`` is the map the notebook is given (its ``map_path``): a sample
    name, or the file name under which ``map_file`` (the lecturer's copy) is
    put beside it. ``cases`` are the function's hidden cases (default
    :data:`FUNCTION_CASES`; at most as many).

    Returns a dict with ``answers`` (when the hidden cell ran), ``errors``
    (failed cells), ``timed_out_at``, ``kernel_died``, ``problem`` (a reason
    the notebook could not be run at all), ``left_running`` (processes still
    alive after it ended), ``planted`` (new files in the Python environment)
    and ``isolated`` (whether the folders in ``hide`` were hidden from it).

    Examples
    --------
    >>> result = run_notebook(Path("submissions/ama.ipynb"), timeout=60)   # doctest: +SKIP
    >>> result["answers"]["q1_elements"], result["errors"]                 # doctest: +SKIP
    (97, [])
    """
    if uid is None and os.geteuid() == 0:
        with claim_uid() as own:
            return run_notebook(notebook, timeout, uid=own, hide=hide, map_name=map_name, map_file=map_file,
                                cases=cases)
    cases = list(FUNCTION_CASES if cases is None else cases)[:len(FUNCTION_CASES)]
    box = _prepare_box(notebook, uid, map_name, map_file)
    marker = f"COP_GRADE_BOX={os.path.basename(box)}"
    config = {"work": str(box), "timeout": timeout, "uid": uid, "hide": list(hide), "parent": os.getpid(),
              "limits": asdict(Limits.for_timeout(timeout)), "map_path": map_name, "cases": [list(c) for c in cases]}
    before = environment_files()
    proc = subprocess.Popen([sys.executable, "-I", "-B", "-m", "cop_toolkit.teaching.grading.sandbox",
                             json.dumps(config)], cwd=box, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, env=_clean_env(box, marker))
    out: deque = deque()
    err: deque = deque()
    readers = [_reader(proc.stdout, out, 4 * 2**20), _reader(proc.stderr, err, 65536)]
    try:
        proc.wait(timeout=timeout + MARGIN)
        over_time = False
    except subprocess.TimeoutExpired:
        over_time = True
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # our own handle: the session we started
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    deadline = time.monotonic() + 1.0
    while sandbox_processes(uid, marker) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = sandbox_processes(uid, marker)
    _sweep(uid, marker)
    for r in readers:
        r.join(timeout=5)
    planted = sorted(p for p, owner in environment_files().items()
                     if p not in before and (uid is None or owner == uid))
    shutil.rmtree(box, ignore_errors=True)
    result = _parse(b"".join(out), b"".join(err), proc.returncode, over_time)
    result.update(left_running=len(left), planted=planted)
    return result


def _parse(out: bytes, err: bytes, code: int, over_time: bool) -> dict[str, Any]:
    if over_time:
        return {"problem": "the notebook did not finish within the time limit and was stopped"}
    for line in reversed(out.decode("utf-8", "replace").splitlines()):
        if line.startswith(RESULT_MARK):
            try:
                result = json.loads(line[len(RESULT_MARK):])
                if isinstance(result, dict):
                    return result
            except ValueError:
                break
    if code is not None and code < 0:
        return {"problem": "the notebook's code stopped the program that was running it", "stopped_runner": True}
    last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
    return {"problem": f"the notebook could not be run ({last[0][:200]})"}


# ------------------------------------------------------------------ the runner's side (the sandbox)
def _libc() -> Any:
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc: Any, source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = (lambda s: s.encode() if s is not None else None)
    if libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)) != 0:
        raise OSError(ctypes.get_errno(), f"mount {target}")


def _blocked_ancestor(path: Path) -> Path | None:
    """The highest folder above ``path`` that other users cannot pass through."""
    for parent in reversed(path.parents):
        try:
            if not os.stat(parent).st_mode & stat.S_IXOTH:
                return parent
        except OSError:
            return None
    return None


def _isolate(work: Path, hide: list[str]) -> bool:
    """Make a private mount namespace: needed folders reachable, ``hide`` and the grader's code empty."""
    libc = _libc()
    if libc.unshare(_CLONE_NEWNS) != 0:
        return False
    _mount(libc, None, "/", None, _MS_REC | _MS_PRIVATE)
    needed = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, work,
                                           Path(os.path.realpath(sys.executable)).parent,
                                           Path(cop_toolkit.__file__).parent.parent)}
    blocked: dict[Path, list[Path]] = {}
    for path in sorted(needed):
        top = _blocked_ancestor(path)
        if top is not None:
            blocked.setdefault(top, []).append(path)
    for top, paths in blocked.items():
        paths = [p for p in paths if not any(q != p and q in p.parents for q in paths)]
        stages = [tempfile.mkdtemp(prefix="cop-grade-stage-") for _ in paths]
        for path, stage in zip(paths, stages):
            _mount(libc, str(path), stage, None, _MS_BIND | _MS_REC)
        _mount(libc, "tmpfs", str(top), "tmpfs", 0, "mode=0755,size=1m")
        for path, stage in zip(paths, stages):
            path.mkdir(parents=True, exist_ok=True)
            _mount(libc, stage, str(path), None, _MS_BIND | _MS_REC)
            libc.umount2(stage.encode(), 2)  # MNT_DETACH
            os.rmdir(stage)
    for folder in [*hide, str(_GRADER_DIR)]:
        path = Path(folder).resolve()
        if path.is_dir() and not any(path == n or path in n.parents for n in needed):
            _mount(libc, "tmpfs", str(path), "tmpfs", _MS_RDONLY, "mode=0555,size=4k")
    return True


def _become(uid: int, limits: Limits) -> None:
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))


def _limit(limits: Limits) -> None:
    libc = _libc()
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG: die with the grader
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS: no setuid programs
    for which, value in ((resource.RLIMIT_CPU, limits.cpu_seconds), (resource.RLIMIT_AS, limits.memory_bytes),
                         (resource.RLIMIT_FSIZE, limits.file_size), (resource.RLIMIT_NOFILE, limits.open_files),
                         (resource.RLIMIT_CORE, 0)):
        _soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))


def _kernel_spec(home: Path) -> str:
    folder = home / ".local" / "share" / "jupyter" / "kernels" / "cop-coursework"
    folder.mkdir(parents=True)
    spec = {"argv": [sys.executable, "-I", "-B", "-c", "from cop_toolkit.teaching.coursework import run_kernel; run_kernel()",
                     "-f", "{connection_file}"], "display_name": "Coursework (guarded)", "language": "python"}
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return "cop-coursework"


def _read_small(path: Path, limit: int = 8 * 2**20) -> Any:
    """Read a JSON file the student's kernel wrote, refusing links, pipes and huge files."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        try:
            return json.loads(f.read(limit))
        except ValueError:
            return None


def _hidden_cell(path: str, cases: list[list[str]]) -> str:
    return ("from cop_toolkit.teaching.coursework import collect_answers as _cop_grade_collect\n"
            f"_cop_grade_collect(globals(), {path!r}, {cases!r}, {HIDDEN_LIMIT})\n")


def _record(status: dict[str, Any], cell: Any, index: int, ran_out: bool) -> None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            # TimeLimit comes only from our own time limit; an interrupt counts when time ran out
            if out.get("ename") == "TimeLimit" or (out.get("ename") == "KeyboardInterrupt" and ran_out):
                status["timed_out_at"] = index + 1
            else:
                status["errors"].append({"cell": index + 1, "error": f"{out.get('ename')}: {out.get('evalue')}"[:200]})
    if ran_out and not status["timed_out_at"]:
        status["timed_out_at"] = index + 1


def _run_one(work: Path, timeout: float, map_path: str, cases: list[list[str]]) -> dict[str, Any]:
    """Execute the notebook copy cell by cell, then the hidden cell, in the guarded kernel.

    ``map_path`` is set right after the parameters cell (before the first code
    cell when there is none), as papermill does; that cell is not counted.
    """
    status: dict[str, Any] = {"errors": [], "timed_out_at": None, "kernel_died": False, "cells": 0}
    nb = nbformat.read(str(work / "submission.ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    answers_path = work / f"answers-{os.getpid()}.json"
    hidden = nbformat.v4.new_code_cell(_hidden_cell(str(answers_path), cases))
    given = nbformat.v4.new_code_cell(f"map_path = {map_path!r}  # the map cop-grade marks this notebook on")
    at = parameters_cell(nb.cells)
    give_before = -1 if at is None else at
    client = NotebookClient(
        nb, kernel_name=_kernel_spec(work / "home"), timeout=int(timeout), allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout={"ename": "TimeLimit", "evalue": "the cell ran past the time limit", "traceback": []},
        resources={"metadata": {"path": str(work)}}, record_timing=False, shutdown_kernel="immediate",
    )
    deadline = time.monotonic() + timeout
    try:
        with client.setup_kernel(env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                if status["timed_out_at"]:
                    # after a time-out the other answers still count: each later cell gets a short limit
                    if time.monotonic() >= deadline + EXTRA_TIME:
                        break
                    client.timeout = LATER_CELL_LIMIT
                    client.execute_cell(cell, index)
                    status["cells"] += 1
                    _record({**status, "timed_out_at": None}, cell, index, False)
                    continue
                if give_before == -1:
                    give_before = None
                    client.timeout = LATER_CELL_LIMIT
                    client.execute_cell(given, index)
                client.timeout = max(1, math.ceil(deadline - time.monotonic()))
                client.execute_cell(cell, index)
                status["cells"] += 1
                _record(status, cell, index, time.monotonic() >= deadline - 0.5)
                if index == give_before:
                    client.timeout = LATER_CELL_LIMIT
                    client.execute_cell(given, index)
            nb.cells.append(hidden)
            client.timeout = 30 + HIDDEN_LIMIT * len(cases)
            client.execute_cell(hidden, len(nb.cells) - 1)
            for out in hidden.get("outputs", []):
                if out.get("output_type") == "error":
                    status["hidden_error"] = f"{out.get('ename')}: {out.get('evalue')}"[:200]
    except DeadKernelError:
        status["kernel_died"] = True
    answers = _read_small(answers_path)
    if isinstance(answers, dict):
        status["answers"] = answers
    return status


def _watch_parent(parent: int, *, sandboxed: bool) -> None:
    """Backstop for PR_SET_PDEATHSIG: when the grader is gone, stop every process of this sandbox."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        if sandboxed:
            os.kill(-1, signal.SIGKILL)  # as the sandbox user: exactly this submission's processes
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def run_child(config_text: str) -> int:
    """The runner: enter the sandbox, run the notebook, print the result. Never raises.

    Examples
    --------
    >>> run_child   # doctest: +ELLIPSIS
    <function run_child at ...>
    """
    config = json.loads(config_text)
    work, uid = Path(config["work"]), config["uid"]
    limits = Limits(**config["limits"])
    isolated = False
    if uid is not None and os.geteuid() == 0:
        try:
            isolated = _isolate(work, config["hide"])
        except OSError:
            isolated = False
        _become(uid, limits)
    _limit(limits)
    _watch_parent(int(config.get("parent", os.getppid())), sandboxed=uid is not None and os.geteuid() == uid)
    try:
        result = _probe_child(work) if config.get("probe") else _run_one(
            work, float(config["timeout"]), str(config.get("map_path", DATASET)),
            config.get("cases") or [list(c) for c in FUNCTION_CASES])
    except Exception as exc:  # noqa: BLE001 - report, never crash the grader
        name = type(exc).__name__
        if "NotJSON" in name or "ValidationError" in name or isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
            result = {"problem": "the file is not a readable notebook"}
        else:
            result = {"problem": f"the notebook could not be run ({name}: {str(exc)[:150]})"}
    result["isolated"] = isolated
    sys.stdout.write("\n" + RESULT_MARK + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


def _probe_child(work: Path) -> dict[str, Any]:
    """In the sandbox: can a fresh Python start the guarded kernel's imports?"""
    proc = subprocess.run([sys.executable, "-I", "-c", "import nbclient, ipykernel, cop_toolkit.teaching.coursework"],
                          cwd=work, capture_output=True, text=True, timeout=120, env=dict(os.environ), check=False)
    last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
    return {"probe_ok": proc.returncode == 0, "problem": None if proc.returncode == 0 else last[:200]}


def probe_sandbox(uid: int, hide: tuple[str, ...]) -> dict[str, Any]:
    """Check that a sandbox user can run Python here, and whether folders can be hidden from it.

    Returns ``{"probe_ok": bool, "isolated": bool, "problem": str | None}``.

    Examples
    --------
    >>> probe_sandbox(64000, ())["probe_ok"]        # doctest: +SKIP
    True
    """
    box = Path(tempfile.mkdtemp(prefix="cop-grade-probe-"))
    os.chown(box, uid, uid)
    marker = f"COP_GRADE_BOX={box.name}"
    config = {"work": str(box), "timeout": 60, "uid": uid, "hide": list(hide), "probe": True,
              "limits": asdict(Limits.for_timeout(60))}
    try:
        proc = subprocess.run([sys.executable, "-I", "-B", "-m", "cop_toolkit.teaching.grading.sandbox",
                               json.dumps(config)], cwd=box, capture_output=True, timeout=180,
                              start_new_session=True, env=_clean_env(box, marker), check=False)
        result = _parse(proc.stdout, proc.stderr, proc.returncode, False)
    except subprocess.TimeoutExpired:
        result = {"problem": "starting Python took more than 3 minutes"}
    finally:
        _sweep(uid, marker)
        shutil.rmtree(box, ignore_errors=True)
    return {"probe_ok": bool(result.get("probe_ok")), "isolated": bool(result.get("isolated")),
            "problem": result.get("problem")}


if __name__ == "__main__":
    raise SystemExit(run_child(sys.argv[1]))
