"""How long a page takes to open in headless Chromium, measured in real time.

Chromium is driven through its DevTools protocol (a websocket, via tornado,
which Jupyter already installs) with the network blocked by a proxy that
answers nothing. Times are read inside the page from navigation start:

* ``loaded_s``: the load event (all HTML parsed, plotly.js and scripts run);
* ``first_screen_s``: every figure in the first screen (the window's top
  ``height`` pixels) is drawn: what a reader sees when the page opens;
* ``all_drawn_s``: every figure on the page is drawn;
* ``wall_s``: from starting Chromium to ``all_drawn_s`` (browser start-up included).

Usage: ``python benchmarks/page_timing.py PAGE.html [...]``
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

WINDOW = (1300, 900)

PROBE = """(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll('.plotly-graph-div, .cop-figure'));
  var drawn = function (b) { return !!(b._fullLayout && b.querySelector('.main-svg')); };
  var onScreen = boxes.filter(function (b) { return b.getBoundingClientRect().top < window.innerHeight; });
  return JSON.stringify({figures: boxes.length, drawn: boxes.filter(drawn).length,
    on_screen: onScreen.length, on_screen_drawn: onScreen.filter(drawn).length,
    loaded: document.readyState === 'complete', now: performance.now(),
    load_ms: performance.timing.loadEventEnd ? performance.timing.loadEventEnd - performance.timing.navigationStart : null});
})()"""


def _chromium() -> str:
    return shutil.which("chromium") or "/usr/bin/chromium"


def open_page(page: str | Path, timeout: float = 120.0) -> dict:
    """Open ``page`` in a fresh headless Chromium and return the times above (seconds)."""
    from tornado.ioloop import IOLoop

    return IOLoop.current().run_sync(lambda: _open(Path(page).resolve(), timeout), timeout=timeout + 30)


async def _open(page: Path, timeout: float) -> dict:
    from tornado.websocket import websocket_connect

    start = time.perf_counter()
    profile = tempfile.mkdtemp(prefix="cop-timing-")
    proc = subprocess.Popen(
        [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--user-data-dir={profile}",
         "--proxy-server=http://127.0.0.1:9", "--remote-debugging-port=0", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = Path(profile) / "DevToolsActivePort"
        while not port_file.exists() or not port_file.read_text().strip():
            if time.perf_counter() - start > timeout:
                raise TimeoutError("Chromium did not start")
            time.sleep(0.02)
        port = int(port_file.read_text().split()[0])
        targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json", timeout=10).read())
        ws_url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        conn = await websocket_connect(ws_url)
        counter = iter(range(1, 10**9))

        async def call(method: str, **params) -> dict:
            ident = next(counter)
            conn.write_message(json.dumps({"id": ident, "method": method, "params": params}))
            while True:
                msg = json.loads(await conn.read_message())
                if msg.get("id") == ident:
                    return msg.get("result", {})

        await call("Page.enable")
        await call("Page.navigate", url=page.as_uri())
        first = None
        while time.perf_counter() - start < timeout:
            res = await call("Runtime.evaluate", expression=PROBE, returnByValue=True)
            value = res.get("result", {}).get("value")
            if value:
                state = json.loads(value)
                if state["loaded"] and first is None and state["on_screen_drawn"] >= state["on_screen"]:
                    first = state["now"] / 1000
                if state["loaded"] and state["drawn"] >= state["figures"] and first is not None:
                    return {"loaded_s": (state["load_ms"] or state["now"]) / 1000, "first_screen_s": first,
                            "all_drawn_s": state["now"] / 1000, "figures": state["figures"],
                            "wall_s": time.perf_counter() - start}
            time.sleep(0.05)
        raise TimeoutError(f"{page.name}: not all figures were drawn within {timeout} s")
    finally:
        proc.kill()
        proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(arg, open_page(arg))
