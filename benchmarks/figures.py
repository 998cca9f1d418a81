"""How fast network pictures are made and drawn, up to 10,000 elements.

Usage::

    python benchmarks/figures.py                 # 200, 2,000 and 10,000 elements
    python benchmarks/figures.py --sizes 10000

For each size (synthetic London-shaped maps from ``london_map.py``) it times,
in Python: the seeded layout, building the figure (``plot_network``) and
writing the one-file offline page (and its size). Then it opens the page in
headless Chromium with the network blocked (``tests/browser.py``) and reads
times measured inside the page: from navigation start until the figure is
drawn, and how long a menu action (hiding every element type but one, a
``Plotly.restyle``) takes. The wall time of the Chromium run is printed too,
with a blank page's time for comparison (browser start-up). Target: a
10,000-element page draws in under 5 seconds. Printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))

PROBE = """
<script>
(function () {
  function probe() {
    var gd = document.querySelector('.plotly-graph-div');
    if (!gd || !gd._fullLayout || document.querySelectorAll('.main-svg').length === 0) {
      return setTimeout(probe, 5);
    }
    var drawn = performance.now();
    var idx = [];
    gd.data.forEach(function (t, i) { if (t.legendgroup === 'types') idx.push(i); });
    var vis = idx.map(function (_, k) { return k === 0 ? true : 'legendonly'; });
    var t0 = performance.now();
    Plotly.restyle(gd, {visible: vis}, idx).then(function () {
      var t1 = performance.now();
      document.title = 'BENCH ' + JSON.stringify({drawn_ms: drawn, restyle_ms: t1 - t0});
    });
  }
  probe();
})();
</script>
"""


def run(n: int, out_dir: Path) -> dict:
    from browser import render
    from london_map import london_map

    from cop_toolkit.figures import figures_to_html, layout_positions, plot_network, save_layout

    m = london_map(n)
    row: dict = {"elements": n, "connections": len(m.connections)}
    t = time.perf_counter()
    pos = layout_positions(m)
    row["layout_s"] = time.perf_counter() - t
    save_layout(m, pos)
    t = time.perf_counter()
    fig = plot_network(m)
    row["figure_s"] = time.perf_counter() - t
    row["traces"] = len(fig.data)
    t = time.perf_counter()
    page = figures_to_html([fig], out_dir / f"network_{n}.html", title=f"{n:,} elements")
    row["html_s"] = time.perf_counter() - t
    text = page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>")
    page.write_text(text, encoding="utf-8")
    row["html_mb"] = page.stat().st_size / 1e6
    # real time (no virtual-time fast-forward would hide slow scripts: budget only caps the wait)
    result = render(page, timeout=180, budget_ms=60000)
    row["chromium_wall_s"] = result.seconds
    found = re.search(r"BENCH (\{.*?\})", result.title)
    if found:
        data = json.loads(found.group(1))
        row["drawn_in_page_s"] = data["drawn_ms"] / 1000
        row["menu_restyle_s"] = data["restyle_ms"] / 1000
    row["drawn"] = result.figures == 1 and result.plots >= 1
    row["requests_out"] = len(result.requests)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,10000")
    args = parser.parse_args()
    from browser import render

    out_dir = Path(tempfile.mkdtemp(prefix="cop-figbench-"))
    blank = out_dir / "blank.html"
    blank.write_text("<html><body>blank</body></html>", encoding="utf-8")
    base = render(blank).seconds
    print(f"Chromium start-up on a blank page: {base:.2f} s")
    print(f"{'elements':>9} {'ties':>7} {'layout':>7} {'figure':>7} {'page':>6} {'MB':>5} "
          f"{'drawn in page':>13} {'menu':>6} {'chromium':>9} drawn  requests")
    for n in [int(s) for s in args.sizes.split(",")]:
        r = run(n, out_dir)
        print(f"{r['elements']:>9,} {r['connections']:>7,} {r['layout_s']:>6.2f}s {r['figure_s']:>6.2f}s "
              f"{r['html_s']:>5.2f}s {r['html_mb']:>5.1f} {r.get('drawn_in_page_s', float('nan')):>12.2f}s "
              f"{r.get('menu_restyle_s', float('nan')):>5.2f}s {r['chromium_wall_s']:>8.2f}s {str(r['drawn']):>5} "
              f"{r['requests_out']:>3}")
    print("Target: 10,000 elements drawn in the page in under 5 s (measured from navigation start).")


if __name__ == "__main__":
    main()
