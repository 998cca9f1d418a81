"""Shared test set-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def _learner_progress_in_a_temporary_place(tmp_path_factory):
    """Exercises record progress locally; tests must never write to the real home folder."""
    os.environ["COP_TOOLKIT_PROGRESS"] = str(tmp_path_factory.mktemp("progress") / "progress.json")
    yield


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """A folder for screenshots and pages kept after the run (git-ignored)."""
    path = ROOT / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
