"""Drive a real JupyterLab and real pages in headless Chromium with Playwright (helpers for tests).

A person opens a lesson in JupyterLab, runs every cell from the Run menu and
clicks the widgets; these helpers do the same, so a test sees what they see.

* :class:`JupyterLab` starts ``jupyter lab`` on a free loopback port with a
  random token, in a folder of its own, with a throw-away home, config, data
  and settings folder (the user's own settings are never read or written) and
  nothing that calls the network (news, update checks). The kernel is the
  project's venv Python (kernelspec ``python3`` installed with
  ``ipykernel install --sys-prefix`` by the Makefile).
* :func:`launch_chromium` opens Debian's Chromium (nothing is downloaded).
* :func:`block_the_network` lets a page load only ``file:`` and loopback
  addresses and records every other URL it tried.
* :class:`Notebook` opens a notebook, runs all cells, waits for the kernel
  and reads the screen.
* :func:`axe_violations` runs the vendored axe-core accessibility checker.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("COP_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
#: Chromium without a sandbox (root in CI), GPU or any of its own calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

#: Mark for tests that drive Chromium: skipped, with the reason, only when Chromium is not installed.
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason=f"Chromium is needed at {CHROMIUM} (Debian: apt-get install -y chromium)"),
]


def artifacts_dir() -> Path:
    """The folder screenshots are kept in: ``$COP_TEST_ARTIFACTS`` or ``tests/artifacts/`` (git-ignored)."""
    path = Path(os.environ.get("COP_TEST_ARTIFACTS") or ROOT / "tests" / "artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


# ------------------------------------------------------------------ Chromium
@contextmanager
def launch_chromium() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright; yields the browser."""
    from playwright.sync_api import sync_playwright  # deferred: heavy

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def block_the_network(page: Any, allowed: tuple[str, ...] = ("file:",)) -> list[str]:
    """Refuse every request whose URL does not start with one of ``allowed``; return the list they go in."""
    refused: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if url.startswith(allowed) or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            refused.append(url)
            r.abort()

    page.route("**/*", route)
    return refused


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical"),
                   context: list[str] | None = None) -> list[dict]:
    """Run axe-core in ``page`` (or only in the elements matching the CSS selectors ``context``).

    Returns the violations of the given ``impacts``.

    Each violation is a dict: rule ``id``, ``impact``, ``help``, number of ``nodes`` and the first ``targets``.
    """
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async context => (await axe.run(context ? {include: context} : document,
                                                            {resultTypes: ['violations']})).violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
        targets: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""", context)
    return [v for v in found if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """One line per axe violation, for assertion messages."""
    return "; ".join(f"{v['id']} ({v['impact']}, {v['nodes']} nodes: {v['help']}; e.g. {v.get('targets')})"
                     for v in violations)


# ------------------------------------------------------------------ JupyterLab
def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: JupyterLab user settings for the tests: no news, no update check, every cell in the page.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


class JupyterLab:
    """A JupyterLab server for tests, serving ``root`` (start with :meth:`start`, stop with :meth:`stop`)."""

    def __init__(self, root: Path, home: Path) -> None:
        self.root = Path(root)
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.token = secrets.token_hex(16)
        self.process: subprocess.Popen[bytes] | None = None
        self.log = self.home / "jupyterlab.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        """The address that opens ``notebook`` (relative to the root) in a Lab workspace of its own.

        Its own workspace, so tabs open side by side do not share (and fight over) one layout.
        """
        workspace = re.sub(r"[^A-Za-z0-9_-]", "-", Path(notebook).stem)
        return f"{self.base}/lab/workspaces/{workspace}/tree/{notebook}?token={self.token}"

    def _environment(self) -> dict[str, str]:
        env = dict(os.environ)
        places = {"HOME": "home", "JUPYTER_CONFIG_DIR": "config", "JUPYTER_DATA_DIR": "data",
                  "JUPYTER_RUNTIME_DIR": "runtime", "IPYTHONDIR": "ipython"}
        for name, folder in places.items():
            (self.home / folder).mkdir(parents=True, exist_ok=True)
            env[name] = str(self.home / folder)
        env.pop("JUPYTER_PATH", None)
        env.pop("PLOTLY_RENDERER", None)
        return env

    def _write_settings(self) -> Path:
        settings = self.home / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            path = settings / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return settings

    def command(self) -> list[str]:
        settings = self._write_settings()
        return [
            str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root",
            f"--ServerApp.token={self.token}", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.root_dir={self.root}",
            "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={self.home / 'workspaces'}",
        ]

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API; returns the decoded JSON (or None)."""
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=5) as response:
            body = response.read()
        return json.loads(body) if body else None

    def start(self, timeout: float = 60) -> JupyterLab:
        """Start the server and wait until it answers; fails with its log if it does not."""
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(self.command(), cwd=self.root, env=self._environment(),
                                            stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self.api("/api/status")
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"JupyterLab did not start:\n{self.log.read_text()[-3000:]}")

    def kernel_python(self) -> str:
        """The Python the ``python3`` kernel runs (argv[0] of its kernelspec)."""
        return self.api("/api/kernelspecs")["kernelspecs"]["python3"]["spec"]["argv"][0]

    def stop(self, timeout: float = 20) -> None:
        """Shut the server down cleanly (kernels included); kill it if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.api("/api/shutdown", method="POST")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)


@contextmanager
def jupyterlab(tmp: Path, notebooks: dict[str, Path | str] | None = None) -> Iterator[JupyterLab]:
    """A running JupyterLab on a copy of ``notebooks/`` (plus ``notebooks``: name -> file or text) in ``tmp``."""
    root = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for name, content in (notebooks or {}).items():
        target = root / name
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_text(content)
    lab = JupyterLab(root, tmp / "lab-home").start()
    try:
        yield lab
    finally:
        lab.stop()


# ------------------------------------------------------------------ a notebook on screen
class Notebook:
    """One notebook open in a browser tab of ``lab``."""

    def __init__(self, page: Any, lab: JupyterLab, name: str) -> None:
        self.page = page
        self.lab = lab
        self.name = name
        self.refused = block_the_network(page, allowed=(lab.base, "file:"))
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, timeout: float = 60) -> Notebook:
        """Open the notebook and wait until every cell is on the page and its kernel is idle."""
        return self.go().wait_until_open(timeout)

    def go(self) -> Notebook:
        """Go to the notebook's address (without waiting for it: see :meth:`wait_until_open`)."""
        self.page.goto(self.lab.url(self.name))
        return self

    def wait_until_open(self, timeout: float = 60) -> Notebook:
        """Wait until every cell of the notebook is on the page and its kernel is idle."""
        cells = len(json.loads((self.lab.root / self.name).read_text())["cells"])
        self.page.wait_for_function(
            "n => document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').length === n",
            arg=cells, timeout=timeout * 1000, polling=250)
        self.wait_for_kernel(timeout)
        return self

    def wait_for_kernel(self, timeout: float = 60) -> None:
        """Wait until the kernel says Idle and no cell is waiting to run (``[*]``)."""
        self.page.wait_for_function(
            """() => {
                const bar = document.querySelector('#jp-main-statusbar');
                const idle = bar && /\\| Idle/.test(bar.textContent);
                const busy = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')]
                    .some(p => p.textContent.includes('*'));
                return idle && !busy;
            }""", timeout=timeout * 1000, polling=250)

    def menu(self, *path: str) -> None:
        """Click through the menu bar, e.g. ``menu("Run", "Run All Cells")``."""
        top, *rest = path
        self.page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
        for item in rest:
            self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()

    def run_all(self, timeout: float = 120, *, wait: bool = True) -> None:
        """Run all cells from the Run menu; wait until the kernel has finished unless ``wait=False``."""
        self.menu("Run", "Run All Cells")
        # the first prompt turns to [*] (or a number) once the run has started
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')]"
            ".some(p => /\\[[*0-9]/.test(p.textContent))", timeout=30_000)
        if wait:
            self.wait_for_kernel(timeout)

    def error_outputs(self) -> list[str]:
        """The text of every error (traceback) output on the page."""
        return self.panel.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
                                  ).all_text_contents()

    @property
    def panel(self) -> Any:
        """The notebook on screen (JupyterLab keeps other open notebooks hidden in the page)."""
        return self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")

    def cell(self, containing: str) -> Any:
        """The code cell whose source contains ``containing``."""
        return self.panel.locator(".jp-CodeCell", has=self.page.locator(".jp-InputArea-editor",
                                                                         has_text=containing)).first


def clipped_bar_labels(figure) -> list[str]:
    """The bar labels of ``figure`` that stick out of its plotting area (and so are cut off)."""
    return figure.evaluate("""fig => {
        const area = fig.querySelector('.nsewdrag').getBoundingClientRect();  // the plotting area itself
        return [...fig.querySelectorAll('.bartext')].filter(t => {
            const r = t.getBoundingClientRect();
            return r.right > area.right + 0.5 || r.left < area.left - 0.5;
        }).map(t => t.textContent);
    }""")
