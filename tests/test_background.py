"""Work handed to a forked copy of the process comes back whole, or is done here instead."""

from __future__ import annotations

import sys
import warnings

import pytest

from cop_toolkit.reports import background

linux_only = pytest.mark.skipif(not background.can_fork(), reason="needs Linux and two or more cores")


@linux_only
def test_the_copy_returns_what_the_work_made() -> None:
    job = background.start({"table": lambda: {"rows": list(range(1000)), "text": "<b>é</b>" * 10_000}})
    assert job is not None
    assert job.result("table") == {"rows": list(range(1000)), "text": "<b>é</b>" * 10_000}


@linux_only
def test_each_result_can_be_collected_as_soon_as_its_job_is_done(tmp_path) -> None:
    import time

    go_on = tmp_path / "go on"

    def waits_for_the_test() -> str:
        deadline = time.monotonic() + 20
        while not go_on.exists():
            if time.monotonic() > deadline:
                return "gave up waiting"
            time.sleep(0.01)
        return "slow"

    job = background.start({"first": lambda: "quick", "second": waits_for_the_test})
    assert job is not None
    assert job.result("first") == "quick"  # while the second job is still waiting
    go_on.touch()
    assert job.result("second") == "slow"
    assert job.result("never asked for") is None


@linux_only
def test_a_result_larger_than_a_pipe_buffer_arrives_whole() -> None:
    big = "x" * 5_000_000
    job = background.start({"big": lambda: big, "after": lambda: "still here"})
    assert job is not None and job.result("big") == big and job.result("after") == "still here"


@linux_only
def test_work_that_fails_in_the_copy_gives_none_so_the_caller_does_it_itself() -> None:
    def fails() -> None:
        raise ValueError("boom")

    job = background.start({"fails": fails, "fine": lambda: 2})
    assert job is not None and job.result("fails") is None
    assert job.result("fine") == 2, "one failing job does not stop the next"


@linux_only
def test_a_result_that_cannot_be_sent_back_gives_none() -> None:
    job = background.start({"lambda": lambda: (lambda: 1)})  # a lambda cannot be pickled
    assert job is not None and job.result("lambda") is None


@linux_only
def test_the_copy_prints_nothing_where_this_process_prints(capfd: pytest.CaptureFixture[str]) -> None:
    def noisy() -> int:
        print("from the copy")
        print("to stderr", file=sys.stderr)
        return 7

    job = background.start({"noisy": noisy})
    assert job is not None and job.result("noisy") == 7
    out, err = capfd.readouterr()
    assert "from the copy" not in out and "to stderr" not in err


@linux_only
def test_warnings_raised_in_the_copy_are_raised_again_when_the_result_is_collected() -> None:
    def warns() -> str:
        warnings.warn("the map has 3 isolated elements", UserWarning, stacklevel=1)
        return "done"

    job = background.start({"warns": warns})
    assert job is not None
    with pytest.warns(UserWarning, match="3 isolated elements"):
        assert job.result("warns") == "done"


def test_nothing_is_forked_where_fork_is_not_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert background.can_fork() is False
    assert background.start({"one": lambda: 1}) is None
