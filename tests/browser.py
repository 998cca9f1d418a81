"""Open HTML pages in headless Chromium with the network blocked (helpers for tests and benchmarks).

Every request the page tries to make goes to a tiny local proxy that answers
403 and writes the URL down, so a test can assert that nothing tried to leave
the machine. Drawn plotly figures are counted by their ``class="main-svg"``
elements in the DOM Chromium dumps after running the page's scripts.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("COP_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"

#: Mark for tests that open a browser (CI installs chromium; they are not skipped).
browser = pytest.mark.browser


@dataclass
class RenderResult:
    """What Chromium made of a page."""

    dom: str
    screenshot: Path | None
    #: every URL the page tried to fetch through the proxy (Chromium's own calls home left out)
    requests: list[str]
    #: ``class="main-svg"`` count in the DOM (plotly draws two or three per figure)
    plots: int
    console_errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: everything the proxy saw, including Chromium's update/sign-in calls
    all_requests: list[str] = field(default_factory=list)

    @property
    def page_requests(self) -> list[str]:
        """Same as ``requests``: what the page itself tried to fetch."""
        return list(self.requests)

    @property
    def figures(self) -> int:
        """Number of plotly figures drawn (one ``plot-container`` each)."""
        return self.dom.count('class="plot-container plotly"')

    @property
    def title(self) -> str:
        """The page title as Chromium saw it after scripts ran."""
        found = re.search(r"<title>(.*?)</title>", self.dom, flags=re.S | re.I)
        return html.unescape(found.group(1)) if found else ""


#: Hosts Chromium itself calls (updates, sign-in, clock) even with background networking off.
_CHROMIUM_OWN_HOSTS = ("update.googleapis.com", "clients2.google.com", "accounts.google.com",
                       "clientservices.googleapis.com", "optimizationguide-pa.googleapis.com",
                       "safebrowsing.googleapis.com", "content-autofill.googleapis.com")


def _browser_housekeeping(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return host in _CHROMIUM_OWN_HOSTS


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str]

    def _refuse(self) -> None:
        self.server.seen.append(self.path if self.command != "CONNECT" else f"https://{self.path}")  # type: ignore[attr-defined]
        self.send_response(403)
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = do_CONNECT = _refuse  # noqa: N815

    def log_message(self, *args: object) -> None:  # keep test output quiet
        return


class _Proxy(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


class RecordingProxy:
    """A local HTTP proxy that refuses everything and records each URL asked for."""

    def __init__(self) -> None:
        self.server = _Proxy(("127.0.0.1", 0), _Recorder)
        self.server.seen = []  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def requests(self) -> list[str]:
        return list(self.server.seen)  # type: ignore[attr-defined]

    def __enter__(self) -> RecordingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def chromium_command(url: str, proxy_port: int, profile: str, *, budget_ms: int, extra: list[str]) -> list[str]:
    """The Chromium command line: headless, no sandbox, no background traffic, all traffic via the proxy."""
    return [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-default-apps", "--disable-extensions", "--no-default-browser-check",
        "--disable-dev-shm-usage", "--disable-client-side-phishing-detection",
        "--disable-features=OptimizationHints,MediaRouter,Translate,AutofillServerCommunication,SignInProfileCreation", "--enable-logging=stderr", "--v=0",
        f"--user-data-dir={profile}", f"--proxy-server=http://127.0.0.1:{proxy_port}",
        "--proxy-bypass-list=<-loopback>", f"--virtual-time-budget={budget_ms}", *extra, url,
    ]


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and ("Uncaught" in line or "Error" in line or ":ERROR:" in line)]


def render(
    html_path: str | Path,
    *,
    screenshot: str | Path | None = None,
    timeout: float = 30,
    window: tuple[int, int] = (1300, 3000),
    budget_ms: int = 10000,
) -> RenderResult:
    """Open ``html_path`` in headless Chromium with the network blocked.

    Returns the DOM after scripts ran, the number of drawn plotly figures
    (``class="main-svg"`` counts; each figure has two), every request the
    page tried to send out, console errors and how long the DOM run took.
    With ``screenshot`` a PNG of ``window`` size is written there too (by a
    second Chromium run).
    """
    html_path = Path(html_path).resolve()
    if not Path(CHROMIUM).exists():
        raise FileNotFoundError(f"Chromium is needed at {CHROMIUM} (Debian: apt-get install -y chromium)")
    url = html_path.as_uri()
    shot: Path | None = None
    errors: list[str] = []
    with RecordingProxy() as proxy:
        profile = tempfile.mkdtemp(prefix="cop-chromium-")
        try:
            start = time.perf_counter()
            run = subprocess.run(chromium_command(url, proxy.port, profile, budget_ms=budget_ms, extra=["--dump-dom"]),
                                 capture_output=True, text=True, timeout=timeout)
            seconds = time.perf_counter() - start
            dom = run.stdout
            errors += _console_errors(run.stderr)
            if screenshot is not None:
                shot = Path(screenshot).resolve()
                shot.parent.mkdir(parents=True, exist_ok=True)
                shot.unlink(missing_ok=True)
                run2 = subprocess.run(
                    chromium_command(url, proxy.port, profile, budget_ms=budget_ms,
                                     extra=[f"--screenshot={shot}", f"--window-size={window[0]},{window[1]}",
                                            "--hide-scrollbars"]),
                    capture_output=True, text=True, timeout=timeout)
                errors += _console_errors(run2.stderr)
                if not shot.exists():
                    shot = None
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        requests = proxy.requests
    # each drawn plotly figure has a main <svg class="main-svg"> and an overlay one
    plots = dom.count('class="main-svg"')
    return RenderResult(dom=dom, screenshot=shot, requests=[r for r in requests if not _browser_housekeeping(r)],
                        plots=plots, console_errors=errors, seconds=seconds, all_requests=requests)

