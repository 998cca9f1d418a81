"""The report's sections, called directly (the report notebook shows them in order)."""

from __future__ import annotations

import pytest

from cop_toolkit.reports import story


def test_a_large_map_report_estimates_paths_from_samples_and_says_so() -> None:
    ctx = story.prepare("owa-2017", exact_up_to=100)  # owa-2017 (195 elements) counts as large here
    assert ctx.method == "sampled"
    assert ctx.metrics.attrs["method"] == "sampled"
    words = " ".join(item for item in story.overview(ctx) if isinstance(item, str))
    assert "estimated from a random sample" in words


def test_a_small_map_report_is_exact_and_says_nothing_about_samples() -> None:
    ctx = story.prepare("owa-2017")
    assert ctx.method == "exact" and ctx.metrics.attrs["method"] == "exact"
    words = " ".join(item for item in story.overview(ctx) if isinstance(item, str))
    assert "random sample" not in words


def test_a_report_context_cannot_swap_its_map_after_its_tables_are_worked_out() -> None:
    import dataclasses

    ctx = story.prepare("owa-2017")
    metrics = ctx.metrics
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.map = story.prepare("owa-2018").map  # type: ignore[misc]
    assert ctx.metrics is metrics and len(metrics) == len(ctx.map.elements)


def test_the_network_pictures_of_a_report_share_one_layout() -> None:
    ctx = story.prepare("owa-2017")
    the_map = [item for item in story.the_map(ctx) if not isinstance(item, str)][0]
    what_if = [item for item in story.what_if_section(ctx) if not isinstance(item, str)][0]
    where = {}
    for trace in the_map.data:
        if trace.legendgroup == "types":
            where.update(zip(trace.customdata, zip(trace.x, trace.y)))
    compared = 0
    for trace in what_if.data:
        if trace.legendgroup == "types" and trace.xaxis in (None, "x"):
            for i, x, y in zip(trace.customdata, trace.x, trace.y):
                assert where[i] == (x, y)
                compared += 1
    assert compared == len(ctx.map.elements)


def test_the_what_if_section_reuses_the_report_s_element_table() -> None:
    from cop_toolkit.analysis.resilience import what_if

    ctx = story.prepare("owa-2017")
    reused = what_if(ctx.map, remove=ctx.removed, method=ctx.method, metrics=ctx.metrics)
    assert any("taken from the element table" in note for note in reused.notes)
    fresh = what_if(ctx.map, remove=ctx.removed, method=ctx.method)
    assert reused.headline() == fresh.headline()
    assert reused.headline() in " ".join(i for i in story.what_if_section(ctx) if isinstance(i, str))


def _without_figure_ids(items: list) -> list:
    import re

    return [re.sub(r"cop-figure-[0-9a-f]{12}", "cop-figure-ID", x) for x in items]


def test_sections_worked_out_ahead_in_report_mode_are_the_html_the_report_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    from cop_toolkit.reports import background
    from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE, report_html

    monkeypatch.setenv(REPORT_MODE_VARIABLE, "1")
    ctx = story.prepare("owa-2017")
    ahead = story.work_ahead(ctx, [story.geography, story.building])
    assert (ahead._job is not None) == background.can_fork()
    made = ahead.get(story.geography)
    here = [x if isinstance(x, str) else report_html(x) for x in story.geography(ctx)]
    assert all(isinstance(x, str) for x in made)
    assert sum('class="cop-figure"' in x for x in made) == sum('class="cop-figure"' in x for x in here) > 0
    assert _without_figure_ids(made) == _without_figure_ids(here)
    assert ahead.get(story.building)[0] == "<h2>7. Introductions to make</h2>"


def test_outside_a_report_sections_are_made_when_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE

    monkeypatch.delenv(REPORT_MODE_VARIABLE, raising=False)
    ctx = story.prepare("owa-2017")
    ahead = story.work_ahead(ctx, [story.the_map])
    assert ahead._job is None
    assert [type(item).__name__ for item in ahead.get(story.the_map)][-2:] == ["Figure", "str"]


def test_a_section_that_fails_in_the_second_process_is_made_here_instead(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE

    monkeypatch.setenv(REPORT_MODE_VARIABLE, "1")
    here = os.getpid()

    def fragile(ctx: story.ReportContext) -> list:
        if os.getpid() != here:
            raise RuntimeError("lost in the copy")
        return [story.paragraph("made here")]

    ctx = story.prepare("owa-2017")
    assert story.work_ahead(ctx, [fragile]).get(fragile) == ['<p>made here</p>']


def test_a_report_told_to_keep_to_one_process_works_everything_out_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE
    from cop_toolkit.reports.runner import SECOND_PROCESS_VARIABLE

    monkeypatch.setenv(REPORT_MODE_VARIABLE, "1")
    monkeypatch.setenv(SECOND_PROCESS_VARIABLE, "0")  # as in a batch, where reports already run side by side
    ctx = story.prepare("owa-2017")
    ahead = story.work_ahead(ctx, [story.building])
    assert ahead._job is None
    assert ahead.get(story.building)[0] == "<h2>7. Introductions to make</h2>"


def test_batch_reports_running_side_by_side_keep_to_one_process_each(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from cop_toolkit.reports import batch

    seen: list[bool] = []
    monkeypatch.setattr(batch, "_one", lambda job: (seen.append(job[3]["second_process"]),
                                                    batch.BatchResult(job[0], job[1], None, "not made in this test"))[1])
    # threads instead of processes, so the stand-in is called here
    monkeypatch.setattr(batch, "ProcessPoolExecutor",
                        lambda max_workers, mp_context=None: ThreadPoolExecutor(max_workers))
    batch.run_batch({"a": "owa-2017"}, tmp_path, jobs=2)
    batch.run_batch({"a": "owa-2017", "b": "owa-2018"}, tmp_path, jobs=1)
    assert seen == [True, True, True]
    seen.clear()
    batch.run_batch({"a": "owa-2017", "b": "owa-2018"}, tmp_path, jobs=2)
    assert seen == [False, False]
