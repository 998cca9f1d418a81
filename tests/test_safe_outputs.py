"""Outputs are written all or nothing, under names of their own, keeping the permissions people set."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from cop_toolkit.core import files
from cop_toolkit.core.errors import MapError
from cop_toolkit.core.files import STAGING_PREFIX, atomic_files, recover
from cop_toolkit.core.model import NetworkMap
from cop_toolkit.io import read_map, write_map
from cop_toolkit.reports.batch import batch_sources, page_names
from cop_toolkit.reports.cli import report_main

FORMATS = ["m.xlsx", "m.json", "m.graphml", "m.gexf", "m.csv", "folder"]
OLD_PAGE = '<html><head><meta name="generator" content="cop_toolkit report"></head><body>old public page</body></html>'
OLD_NOTEBOOK = json.dumps({"cells": [], "metadata": {"cop_toolkit": {"report": True}, "old": True},
                           "nbformat": 4, "nbformat_minor": 5})


def small_map(n: int = 3, *, text: str = "") -> NetworkMap:
    ids = [f"e{i}" for i in range(n)]
    return NetworkMap(pd.DataFrame({"ID": ids, "Label": [f"Group {i}{text}" for i in range(n)]}),
                      pd.DataFrame({"From": ids[:-1], "To": ids[1:]}), metadata={"name": "Small"})


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def written_files(target: Path) -> list[Path]:
    return [target] if target.is_file() else sorted(p for p in target.parent.glob(f"{target.stem}*") if p.is_file())


def old_pair(folder: Path) -> tuple[Path, Path]:
    page, notebook = folder / "r.html", folder / "r.ipynb"
    page.write_text(OLD_PAGE, encoding="utf-8")
    notebook.write_text(OLD_NOTEBOOK, encoding="utf-8")
    return page, notebook


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp")


@pytest.fixture
def umask():
    before = os.umask(0o022)
    os.umask(before)

    def use(mask: int) -> None:
        os.umask(mask)

    yield use
    os.umask(before)


# ------------------------------------------------------------------ names in a batch
def test_page_names_are_unique_lower_case_and_never_the_index_page():
    names = ["A b", "a-b", "index", "Index", "x.xlsx", "x.json", "a-b-2"]
    stems, notes = page_names(names)
    assert len(set(stems.values())) == len(names)
    assert all(s == s.lower() for s in stems.values()) and "index" not in stems.values()
    assert stems["a-b-2"] == "a-b-2", "a name keeps its own stem; only the later duplicate moves"
    assert len(notes) == 3 and any("index page" in n for n in notes)


def test_batch_sources_keep_maps_that_differ_only_by_extension_or_case(tmp_path):
    paths = [tmp_path / "x.xlsx", tmp_path / "x.json", tmp_path / "X.gexf", tmp_path / "hackney"]
    sources = batch_sources(paths)
    assert sorted(sources.values()) == sorted(str(p) for p in paths)
    assert sources["hackney"] == str(tmp_path / "hackney")


def test_a_batch_with_colliding_names_reports_every_map_and_tells_the_collisions(tmp_path, capsys):
    maps = tmp_path / "maps"
    maps.mkdir()
    for name in ["A b.xlsx", "a-b.json", "x.xlsx", "x.json", "index.xlsx"]:
        (maps / name).write_bytes(b"not a map")  # fails fast: each is listed on the index as not made
    out = tmp_path / "out"
    assert report_main(["--batch", str(maps), "-o", str(out), "--public", "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "0 of 5 reports made" in err
    assert "'a-b' would share the page a-b.html with 'A b'" in err
    assert "'index' would share the page index.html with the index page" in err
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "0 of 5 reports made" in index
    for name in ["A b", "a-b", "x.xlsx", "x.json", "index"]:
        assert f"<li>{name} — <strong>not made</strong>" in index


def test_split_parts_whose_names_share_a_file_name_are_each_kept(tmp_path, monkeypatch):
    from cop_toolkit.reports import batch

    whole = small_map(4)
    parts = {"St. Helen's": whole.subset(["e0", "e1"]), "St Helen s": whole.subset(["e2", "e3"])}
    monkeypatch.setattr(batch, "split_map", lambda m, by: parts)
    sources = batch.split_sources(str(write_map(whole, tmp_path / "whole.json")), "borough", tmp_path / "work")
    assert len(set(sources.values())) == 2
    assert sorted(len(read_map(path)) for path in sources.values()) == [2, 2]


# ------------------------------------------------------------------ permissions
@pytest.mark.parametrize("name", FORMATS)
def test_write_map_keeps_existing_permission_bits_and_gives_new_files_the_umask(tmp_path, umask, name):
    target = tmp_path / name
    umask(0o002)
    written_files(write_map(small_map(), target))
    made = written_files(target if name != "folder" else target / "elements.csv")
    assert made and all(mode(p) == 0o664 for p in made), [oct(mode(p)) for p in made]
    for p in made:
        p.chmod(0o664)
    umask(0o077)  # a new file would now be 0600: an existing one must stay shared
    write_map(small_map(4), target)
    assert all(mode(p) == 0o664 for p in made), [oct(mode(p)) for p in made]
    assert len(read_map(write_map(small_map(4), target)).elements) == 4
    made[0].chmod(0o600)
    umask(0o002)
    write_map(small_map(), target)
    assert mode(made[0]) == 0o600, "a private file stays private"
    assert leftovers(tmp_path if name != "folder" else target) == []


# ------------------------------------------------------------------ failures between renames
def test_a_failed_rename_puts_back_the_file_already_replaced(tmp_path, monkeypatch):
    page, notebook = old_pair(tmp_path)
    real = os.replace
    calls = []

    def second_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", second_fails)
    with pytest.raises(OSError), atomic_files(notebook, page) as (nb, pg):
        nb.write_text("new private notebook")
        pg.write_text("new page")
    assert calls[0] == notebook, "the notebook goes first and the page, which says 'done', last"
    assert (page.read_text(), notebook.read_text()) == (OLD_PAGE, OLD_NOTEBOOK)
    assert leftovers(tmp_path) == []
    calls.clear()
    with pytest.raises(OSError), atomic_files(tmp_path / "new.ipynb", tmp_path / "new.html") as (nb, pg):
        nb.write_text("x")
        pg.write_text("y")
    assert not (tmp_path / "new.ipynb").exists() and not (tmp_path / "new.html").exists()


def test_a_writer_killed_between_renames_is_rolled_back_by_the_next_write(tmp_path):
    page, notebook = old_pair(tmp_path)
    script = textwrap.dedent(f"""
        import os, signal
        from cop_toolkit.core import files
        real = os.replace
        def replace_then_die(src, dst):
            real(src, dst)
            os.kill(os.getpid(), signal.SIGKILL)
        files.os.replace = replace_then_die
        with files.atomic_files({str(notebook)!r}, {str(page)!r}) as (nb, pg):
            nb.write_text("new private notebook")
            pg.write_text("new page")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert done.returncode == -signal.SIGKILL
    assert notebook.read_text() == "new private notebook" and page.read_text() == OLD_PAGE
    staging = [p for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX)]
    assert len(staging) == 1 and mode(staging[0]) == 0o700, "what is needed to undo it is kept, unreadable to others"
    assert recover(tmp_path) == staging
    assert (page.read_text(), notebook.read_text()) == (OLD_PAGE, OLD_NOTEBOOK)
    assert leftovers(tmp_path) == []


@pytest.mark.slow
def test_cop_report_killed_while_writing_keeps_the_old_pair_and_the_next_report_cleans_up(tmp_path, umask):
    page, notebook = old_pair(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "cop_toolkit.reports.cli", "owa-2017", "-o", str(page), "-q"],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while not any(p.name.startswith(STAGING_PREFIX) for p in tmp_path.iterdir()):
            assert proc.poll() is None and time.monotonic() < deadline, "the report never started writing"
            time.sleep(0.05)
        time.sleep(1.0)  # inside the analysis, with temporary files written
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert (page.read_text(), notebook.read_text()) == (OLD_PAGE, OLD_NOTEBOOK)
    visible = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(STAGING_PREFIX))
    assert visible == ["r.html", "r.ipynb"]
    assert all(mode(p) == 0o700 for p in tmp_path.iterdir() if p.name.startswith(STAGING_PREFIX))
    umask(0o002)
    new_page = tmp_path / "new.html"
    assert report_main(["owa-2017", "-o", str(new_page), "-q"]) == 0
    assert leftovers(tmp_path) == []
    assert mode(new_page) == mode(new_page.with_suffix(".ipynb")) == 0o664, "a new report gets the user's umask"


# ------------------------------------------------------------------ a full disk, a read-only folder
@pytest.fixture
def small_disk(tmp_path):
    """A 2 MB tmpfs (tests run as root in CI; skipped where mounting is not allowed)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_full_disk_is_one_line_and_leaves_the_old_files_and_no_temporary_ones(small_disk, capsys):
    old = write_map(small_map(), small_disk / "m.json")
    before = old.read_bytes()
    with pytest.raises(MapError, match="not enough space in"):
        write_map(small_map(20_000, text=" with a long name " * 5), old)
    assert old.read_bytes() == before and leftovers(small_disk) == []
    page, notebook = old_pair(small_disk)
    with pytest.raises(MapError, match="not enough space in"), atomic_files(notebook, page) as (nb, pg):
        nb.write_bytes(b"x" * 2**20)
        pg.write_bytes(b"y" * 2**20)
    assert (page.read_text(), notebook.read_text()) == (OLD_PAGE, OLD_NOTEBOOK) and leftovers(small_disk) == []
    assert report_main(["owa-2017", "-o", str(page)]) == 2
    err = capsys.readouterr().err
    assert "Running the analysis" not in err, "refused before the analysis"
    errors = "\n".join(line for line in err.splitlines() if line.startswith("cop-report:"))
    assert one_error_line(errors).startswith(f"cop-report: not enough space in '{small_disk}'")
    assert (page.read_text(), notebook.read_text()) == (OLD_PAGE, OLD_NOTEBOOK) and leftovers(small_disk) == []
    assert report_main(["--batch", str(small_disk), "-o", str(small_disk / "out"), "-q"]) == 2
    assert one_error_line(capsys.readouterr().err).startswith("cop-report: not enough space in")


def test_a_read_only_folder_is_one_line_and_leaves_the_old_files(small_disk, capsys):
    old = write_map(small_map(), small_disk / "m.json")
    page, notebook = old_pair(small_disk)
    if subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True).returncode != 0:
        pytest.skip("cannot remount read-only here")
    before = old.read_bytes()
    with pytest.raises(MapError, match=f"cannot write to '{small_disk}'"):
        write_map(small_map(4), old)
    assert old.read_bytes() == before
    assert report_main(["owa-2017", "-o", str(page), "-q"]) == 2
    assert one_error_line(capsys.readouterr().err).startswith(f"cop-report: cannot write to '{small_disk}'")
    assert report_main(["--batch", str(small_disk), "-o", str(small_disk / "out"), "-q"]) == 2
    assert one_error_line(capsys.readouterr().err).startswith("cop-report: cannot write to")
    assert (page.read_text(), notebook.read_text()) == (OLD_PAGE, OLD_NOTEBOOK)
