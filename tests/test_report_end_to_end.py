"""Reports made for real: papermill + nbconvert, then opened in headless Chromium offline."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cop_toolkit import NetworkMap, report, write_map
from cop_toolkit.core.errors import MapError

from browser import render

pytestmark = [pytest.mark.slow]

HOSTILE = [
    "<script>document.title='pwned-script'</script>",
    "<img src=x onerror=\"document.title='pwned-img'\">",
    "</div></div><h1 id='injected'>Injected</h1>",
    "<a href=\"javascript:document.title='pwned-link'\">click me</a>",
    "Quote ' and \" and `backtick` ${x}",
    "Line one\nline two\r\nline three",
    "Very long " + "x" * 5000,
]


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "owa-2017.html"
    res = subprocess.run(
        [sys.executable, "-m", "cop_toolkit.reports.cli", "owa-2017", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stderr
    return out


def test_sample_report_is_one_offline_page_without_code(sample_report):
    html = sample_report.read_text(encoding="utf-8")
    assert sample_report.with_suffix(".ipynb").exists(), "the executed notebook is kept beside the report"
    assert "story.show(" not in html and "import cop_toolkit" not in html, "no code cells in the page"
    assert len(re.findall(r"plotly\.js v\d", html)) == 1, "plotly.js embedded exactly once"
    assert html.index("plotly.js v") < html.index("</head>") < html.index("Plotly.newPlot"), "loaded before any figure"
    executed = sample_report.with_suffix(".ipynb").read_text(encoding="utf-8")
    assert "application/vnd.plotly.v1+json" not in executed and "plotly.js v" not in executed, (
        "each figure is kept once, as HTML, and plotly.js is left to the page"
    )
    assert "<title>Our Way Ahead network map, July 2017" in html, "the page is titled with the map's own name"
    assert not re.search(r"<script[^>]+src=[\"']https?:", html), "no script fetched from the internet"
    assert not re.search(r"<link[^>]+href=[\"']https?:", html), "no stylesheet fetched from the internet"
    for section in ["1. Overview", "2. The map", "3. Key connectors", "4. Clusters", "5. What if", "6. Geography",
                    "7. Introductions", "8. Changes", "9. Data quality"]:
        assert section in html


def test_sample_report_tells_the_lvsc_story_with_numbers(sample_report):
    html = sample_report.read_text(encoding="utf-8")
    assert re.search(r"Without LVSC, \d+", html), "the what-if headline names the hub and counts who is cut off"


@pytest.mark.browser
def test_sample_report_draws_its_figures_in_chromium_with_the_network_blocked(sample_report, artifacts):
    result = render(sample_report, screenshot=artifacts / "owa-2017-report.png")
    boxes = sample_report.read_text(encoding="utf-8").count('class="cop-figure"')
    assert boxes >= 10 and result.figures == boxes, "every figure is drawn, not only those on the first screen"
    assert result.requests == [], f"requests tried to leave the machine: {result.requests}"


def _write(m: NetworkMap, folder: Path, name: str) -> Path:
    path = folder / f"{name}.json"
    write_map(m, path)
    return path


def hostile_map() -> NetworkMap:
    labels = HOSTILE + ["Plain Group"]
    ids = [f"h{i}" for i in range(len(labels))]
    elements = pd.DataFrame(
        {
            "ID": ids,
            "Label": labels,
            "Type": ["Community group"] * len(labels),
            "Description": list(reversed(labels)),
            "Borough": ["E09000030"] * len(labels),
            "Needs": ["meeting space|<b>bold</b>"] * len(labels),
            "Offers": ["<script>x</script>|meeting space"] * len(labels),
        }
    )
    conns = pd.DataFrame({"From": ids[:-1], "To": ids[1:], "Type": ["Partnership"] * (len(ids) - 1)})
    return NetworkMap(elements, conns, metadata={"name": "<script>document.title='pwned-name'</script>"})


@pytest.mark.browser
def test_hostile_labels_render_as_text_and_run_no_script(tmp_path, artifacts):
    src = _write(hostile_map(), tmp_path, "hostile")
    out = report(src, output=tmp_path / "hostile.html", title="<img src=x onerror=\"document.title='pwned-title'\">")
    result = render(out, screenshot=artifacts / "hostile-report.png")
    assert not result.title.startswith("pwned"), "no script changed the page title"
    assert 'id="injected"' not in result.dom
    assert not re.search(r"<img[^>]*onerror", result.dom, flags=re.I)
    assert not re.search(r"<a[^>]*href=\"javascript:", result.dom, flags=re.I)
    assert result.plots >= 3
    assert "&lt;script&gt;" in out.read_text(encoding="utf-8")


def private_map() -> NetworkMap:
    n = 12
    ids = [f"p{i}" for i in range(n)]
    visibility = ["private" if i % 2 else "public" for i in range(n)]
    types = ["Person" if i % 3 == 0 else "Community group" for i in range(n)]
    consent = ["no" if i % 3 == 0 else None for i in range(n)]
    elements = pd.DataFrame(
        {
            "ID": ids,
            "Label": [f"Secretlabel{i}" if (visibility[i] == "private" or consent[i] == "no") else f"Public Group {i}" for i in range(n)],
            "Type": types,
            "Visibility": visibility,
            "Consent": consent,
            "Borough": ["E09000012"] * n,
            "Email": [f"zqmail{i}@example.org" for i in range(n)],
            "Notes": [f"Confidentialnote{i}" for i in range(n)],
            "Needs": ["meeting space"] * n,
            "Offers": ["volunteers"] * n,
        }
    )
    conns = pd.DataFrame({"From": ids, "To": ids[1:] + ids[:1], "Type": ["Partnership"] * n})
    return NetworkMap(elements, conns, metadata={"name": "Private test map", "private_fields": ["Email", "Notes"]})


def test_public_report_holds_no_private_label_or_field_value_even_in_figure_json(tmp_path):
    m = private_map()
    src = _write(m, tmp_path, "private")
    out = report(src, output=tmp_path / "public.html", public=True, accept_risk=True)
    for text in (out.read_text(encoding="utf-8"), out.with_suffix(".ipynb").read_text(encoding="utf-8")):
        assert "Public Group 2" in text
        for secret in ["Secretlabel", "zqmail", "@example.org", "Confidentialnote"]:
            assert secret not in text


def test_public_sample_report_leaves_out_private_entries(tmp_path):
    from cop_toolkit.io import datasets

    m = datasets.load("owa-2017")
    hidden = m.elements.loc[~m.elements["ID"].isin(m.public().elements["ID"]), "Label"].tolist()
    assert hidden, "the sample has private entries to hide"
    out = report("owa-2017", output=tmp_path / "public.html", public=True, accept_risk=True)
    html = out.read_text(encoding="utf-8")
    for label in hidden:
        assert json.dumps(label)[1:-1] not in html and label not in html
    for value in m.elements["Email"].dropna():
        assert value not in html


def test_unknown_element_to_remove_fails_fast_with_close_matches(tmp_path):
    res = subprocess.run(
        [sys.executable, "-m", "cop_toolkit.reports.cli", "owa-2017", "--remove", "LVCS", "-o", str(tmp_path / "x.html")],
        capture_output=True, text=True, timeout=120,
    )
    assert res.returncode == 2
    assert "LVSC" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "x.html").exists()


def test_report_with_previous_snapshot_shows_what_changed(tmp_path):
    out = report("owa-2018", previous="owa-2017", output=tmp_path / "owa-2018.html")
    html = out.read_text(encoding="utf-8")
    assert "No earlier snapshot" not in html
    assert "LVSC" in html


def test_batch_makes_one_report_per_map_and_lists_the_one_that_failed(tmp_path):
    maps = tmp_path / "maps"
    maps.mkdir()
    small = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Alpha Group", "Beta Group", "Gamma Group"]}),
                       pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"]}), metadata={"name": "Small"})
    _write(small, maps, "first")
    _write(small, maps, "second")
    (maps / "broken.json").write_text("{ not json", encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "cop_toolkit.reports.cli", "--batch", str(maps), "-o", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )
    assert res.returncode == 0, res.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="first.html"' in index and 'href="second.html"' in index
    assert "broken" in index and "not made" in index
    assert (tmp_path / "out" / "first.html").exists()


def test_map_with_no_geography_or_needs_says_so_instead_of_failing(tmp_path):
    small = NetworkMap(pd.DataFrame({"ID": ["a", "b", "c"], "Label": ["Alpha", "Beta", "Gamma"]}),
                       pd.DataFrame({"From": ["a", "b"], "To": ["b", "c"]}))
    out = report(_write(small, tmp_path, "plain"), output=tmp_path / "plain.html")
    html = out.read_text(encoding="utf-8")
    assert "nothing to place on a map of London" in html
    assert "records no needs or offers" in html


def test_report_refuses_parameters_the_template_does_not_declare(tmp_path):
    with pytest.raises(MapError, match="not a parameter"):
        report("owa-2017", output=tmp_path / "x.html", parameters={"x=1;import os": "1"})


def test_making_a_report_leaves_this_process_s_environment_alone(tmp_path, monkeypatch):
    import os

    import papermill

    from cop_toolkit.figures.offline import REPORT_MODE_VARIABLE
    from cop_toolkit.reports.runner import SECOND_PROCESS_VARIABLE

    monkeypatch.delenv(REPORT_MODE_VARIABLE, raising=False)
    monkeypatch.delenv(SECOND_PROCESS_VARIABLE, raising=False)
    before = dict(os.environ)
    seen: list[dict[str, str]] = []
    run = papermill.execute_notebook

    def watched(*args, **kwargs):
        seen.append(dict(os.environ))  # as the kernel starts
        return run(*args, **kwargs)

    monkeypatch.setattr(papermill, "execute_notebook", watched)
    out = report("owa-2017", output=tmp_path / "owa.html", second_process=False)
    assert seen == [before] and dict(os.environ) == before
    assert "data-cop-figure=" in out.with_suffix(".ipynb").read_text(encoding="utf-8"), (
        "the kernel was still told to write its figures for the report page"
    )
