"""The report's sections, called directly (the report notebook shows them in order)."""

from __future__ import annotations

import pytest

from cop_toolkit import story


def test_a_large_map_report_estimates_paths_from_samples_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(story, "REPORT_EXACT_LIMIT", 100)  # owa-2017 (195 elements) counts as large here
    ctx = story.prepare("owa-2017")
    assert ctx.method == "sampled"
    assert ctx.metrics.attrs["method"] == "sampled"
    words = " ".join(item for item in story.overview(ctx) if isinstance(item, str))
    assert "estimated from a random sample" in words


def test_a_small_map_report_is_exact_and_says_nothing_about_samples() -> None:
    ctx = story.prepare("owa-2017")
    assert ctx.method == "exact" and ctx.metrics.attrs["method"] == "exact"
    words = " ".join(item for item in story.overview(ctx) if isinstance(item, str))
    assert "random sample" not in words


def test_the_network_pictures_of_a_report_share_one_layout() -> None:
    ctx = story.prepare("owa-2017")
    the_map = story.the_map(ctx)[-1]
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
    from cop_toolkit.resilience import what_if

    ctx = story.prepare("owa-2017")
    reused = what_if(ctx.map, remove=ctx.removed, method=ctx.method, metrics=ctx.metrics)
    assert any("taken from the element table" in note for note in reused.notes)
    fresh = what_if(ctx.map, remove=ctx.removed, method=ctx.method)
    assert reused.headline() == fresh.headline()
    assert reused.headline() in " ".join(i for i in story.what_if_section(ctx) if isinstance(i, str))
