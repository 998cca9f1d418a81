"""Writing files safely: all or nothing, keeping the permissions people set.

Every file the toolkit writes (maps, reports, marks, progress) goes through
:func:`atomic_files`. The new content is written into a private staging
folder (mode 0700, named ``.cop-writing-<host>-<pid>-…``) next to the
targets and moved into place only when all of it was written, so a crash or
a full disk never leaves half a file. A file that already exists keeps its
permission bits and, where allowed, its group (a shared map stays shared); a
new file gets the user's usual permissions (umask).

Several files written together (a report page and its notebook, the three
files of a CSV pair) are renamed one after another, in the order given, so
callers put the file that says "done" last (the report page). Until all the
renames succeeded, each replaced file is kept in the staging folder (a hard
link, so it costs no space): if a rename fails, the files already moved are
put back, so either all the new files are in place or all the old ones are.
A process killed between two renames cannot put them back itself; its
staging folder keeps what is needed, and the next write into that folder
(:func:`recover`) finishes the rollback and removes it. A process killed
while writing leaves only its staging folder, which others cannot read and
the next write removes.

Disk full, quota, read-only folders and refused permissions come back as one
plain :class:`~cop_toolkit.core.errors.MapError` ("not enough space in …",
"cannot write to …"); :func:`check_folder` says so before any work starts.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from cop_toolkit.core.errors import MapError

__all__ = [
    "STAGING_PREFIX",
    "atomic_files",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_folder",
    "recover",
    "write_error",
]

#: The name every staging folder starts with.
STAGING_PREFIX = ".cop-writing-"
_PLAN = "plan.json"
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NOT_ALLOWED = {errno.EROFS, errno.EACCES, errno.EPERM}


def _mode_for(target: Path) -> tuple[int, int]:
    """The permission bits and group (-1: the user's own) a file written at ``target`` should have."""
    try:
        st = target.stat()
        return stat.S_IMODE(st.st_mode), st.st_gid
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask, -1


def write_error(exc: OSError, folder: str | Path) -> MapError | None:
    """The plain error for a disk that is full or a folder that cannot be written; ``None`` for other errors.

    Examples
    --------
    >>> import errno
    >>> write_error(OSError(errno.ENOSPC, "No space left on device"), "/srv/reports").message
    "not enough space in '/srv/reports' (No space left on device). How to fix: free some space, or choose another folder."
    >>> write_error(OSError(errno.ENOENT, "No such file"), "/srv") is None
    True
    """
    where = Path(folder)
    if exc.errno in _NO_SPACE:
        return MapError(f"not enough space in '{where}' ({exc.strerror or 'disk full'})",
                        fix="free some space, or choose another folder")
    if exc.errno in _NOT_ALLOWED:
        return MapError(f"cannot write to '{where}' ({exc.strerror or 'not allowed'})",
                        fix="choose a folder you may write to")
    return None


def check_folder(folder: str | Path, need: int = 0) -> Path:
    """Check, before any work, that files can be written in ``folder`` (made if missing) with ``need`` bytes free.

    Examples
    --------
    >>> import tempfile
    >>> check_folder(tempfile.mkdtemp(), need=1).is_dir()
    True
    >>> check_folder(tempfile.mkdtemp(), need=2**62)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cop_toolkit.core.errors.MapError: not enough space in '...' (... MB free, about 4398046511104 MB needed). How to fix: free some space, or choose another folder.
    """
    where = Path(folder)
    try:
        where.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=where):
            pass
        free = shutil.disk_usage(where).free
    except OSError as exc:
        raise (write_error(exc, where) or MapError(
            f"cannot write to '{where}' ({exc.strerror or type(exc).__name__})",
            fix="choose a folder you may write to")) from None
    if free < need:
        raise MapError(f"not enough space in '{where}' ({free / 2**20:.1f} MB free, about {need / 2**20:.0f} MB needed)",
                       fix="free some space, or choose another folder")
    return where


def _host() -> str:
    return re.sub(r"[^0-9A-Za-z]", "", socket.gethostname())[:24] or "host"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process
        return True
    return True


def recover(folder: str | Path) -> list[Path]:
    """Finish what writers killed in ``folder`` left undone; return the staging folders removed.

    A staging folder of a process (on this machine) that is no longer running
    is removed; if that process was killed between renames, the files it had
    already moved are first put back as they were.

    Examples
    --------
    >>> import tempfile
    >>> recover(tempfile.mkdtemp())
    []
    """
    removed: list[Path] = []
    prefix = f"{STAGING_PREFIX}{_host()}-"
    try:
        entries = [e for e in os.scandir(folder) if e.name.startswith(prefix) and e.is_dir(follow_symlinks=False)]
    except OSError:
        return removed
    for entry in entries:
        pid = entry.name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        staging = Path(entry.path)
        with contextlib.suppress(OSError, ValueError):
            plan = json.loads((staging / _PLAN).read_text(encoding="utf-8"))
            _roll_back(plan)
        shutil.rmtree(staging, ignore_errors=True)
        removed.append(staging)
    return removed


def _roll_back(plan: list[dict[str, str | None]]) -> None:
    """Put back the targets of ``plan`` that were already replaced, if not all were."""
    moved = [step for step in plan if not Path(str(step["temp"])).exists()]
    if len(moved) == len(plan):
        return  # every new file is in place: nothing to undo
    for step in moved:
        target = Path(str(step["target"]))
        if step["backup"]:
            os.replace(str(step["backup"]), target)
        else:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()


def _keep_old(target: Path, backup: Path) -> bool:
    """Keep the file at ``target`` as ``backup`` until the write is over; False if there is none."""
    if not target.exists():
        return False
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return True


def _commit(temps: list[Path], paths: list[Path], staging: Path) -> None:
    """Give the temporary files their modes and rename them into place, all or none."""
    for tmp, target in zip(temps, paths):
        mode, group = _mode_for(target)
        os.chmod(tmp, mode)
        if group != -1:
            with contextlib.suppress(OSError):
                os.chown(tmp, -1, group)
                os.chmod(tmp, mode)  # chown may clear set-id bits
    plan: list[dict[str, str | None]] = []
    for i, (tmp, target) in enumerate(zip(temps, paths)):
        backup = staging / f"old-{i}"
        kept = len(paths) > 1 and i < len(paths) - 1 and _keep_old(target, backup)
        plan.append({"target": str(target.absolute()), "temp": str(tmp.absolute()),
                     "backup": str(backup.absolute()) if kept else None})
    if len(paths) > 1:
        (staging / _PLAN).write_text(json.dumps(plan), encoding="utf-8")
    try:
        for tmp, target in zip(temps, paths):
            os.replace(tmp, target)
    except BaseException:
        _roll_back(plan)
        raise


@contextlib.contextmanager
def atomic_files(*targets: str | Path) -> Iterator[list[Path]]:
    """Yield temporary paths for ``targets``; move them all into place only on success.

    The temporary files keep the targets' names (and so their extensions),
    in a staging folder beside the first target. If the body raises, the
    temporary files are deleted and the targets are left exactly as they were;
    if a rename fails, the targets already replaced are put back. A full disk
    or a folder that cannot be written is a :class:`MapError` (see
    :func:`write_error`).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> with atomic_files(folder / "a.txt", folder / "b.txt") as (a, b):
    ...     _ = a.write_text("one"), b.write_text("two")
    >>> sorted(p.name for p in folder.iterdir())
    ['a.txt', 'b.txt']
    """
    paths = [Path(t) for t in targets]
    folder = paths[0].parent
    staging: Path | None = None
    try:
        for parent in dict.fromkeys(p.parent for p in paths):
            parent.mkdir(parents=True, exist_ok=True)
            recover(parent)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{_host()}-{os.getpid()}-", dir=folder))
        temps = [staging / f"{i}-{p.name}" for i, p in enumerate(paths)]
        yield temps
        _commit(temps, paths, staging)
    except OSError as exc:
        ours = exc.filename is None or Path(str(exc.filename)).absolute().parent in {
            *(p.parent.absolute() for p in paths), *([staging.absolute()] if staging else [])}
        error = write_error(exc, folder) if ours else None
        if error is None:  # not about writing these files: as it came
            raise
        raise error from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once (see :func:`atomic_files`); return the path.

    Examples
    --------
    >>> import tempfile
    >>> p = atomic_write_bytes(Path(tempfile.mkdtemp()) / "x.bin", b"abc")
    >>> p.read_bytes()
    b'abc'
    """
    target = Path(path)
    with atomic_files(target) as (tmp,):
        tmp.write_bytes(data)
    return target


def atomic_write_text(path: str | Path, text: str, *, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` all at once (see :func:`atomic_files`); return the path.

    Examples
    --------
    >>> import tempfile
    >>> p = atomic_write_text(Path(tempfile.mkdtemp()) / "x.txt", "café")
    >>> p.read_text(encoding="utf-8")
    'café'
    """
    return atomic_write_bytes(path, text.encode(encoding))
