"""Writing files safely: all or nothing, keeping the permissions people set.

Every file the toolkit writes (maps, reports, marks, progress) goes through
:func:`atomic_files`: the new content is written to temporary files next to
the targets and moved into place only when all of it was written, so a crash
or a full disk never leaves half a file, nor one file of a pair without the
other. A file that already exists keeps its permission bits (a shared map
stays shared); a new file gets the user's usual permissions (umask).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_files", "atomic_write_text", "atomic_write_bytes"]


def _mode_for(target: Path) -> int:
    """The permission bits a file written at ``target`` should have."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextlib.contextmanager
def atomic_files(*targets: str | Path) -> Iterator[list[Path]]:
    """Yield temporary paths next to ``targets``; move them all into place only on success.

    If the body raises, every temporary file is deleted and the targets are
    left exactly as they were. The renames happen one after another at the
    end, after everything was written.

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
    temps: list[Path] = []
    try:
        for target in paths:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(fd)
            temps.append(Path(name))
        yield temps
        modes = [_mode_for(target) for target in paths]
        for tmp, mode in zip(temps, modes):
            os.chmod(tmp, mode)
        for tmp, target in zip(temps, paths):
            os.replace(tmp, target)
    finally:
        for tmp in temps:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()


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
