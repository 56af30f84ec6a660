"""A real `ldtd serve` (Datasette in its own process, on a free port) and a real headless Chromium.

Chromium is Debian's /usr/bin/chromium (installed by `make test`), driven by Playwright with
executable_path: nothing downloads a browser. Every request the page makes to anything other than
the local server is recorded and aborted, so the tests also prove nothing loads from elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.query.builders import add_hostile_article, build_archive

CHROMIUM = os.environ.get("LDTD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def archive_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("browse") / "archive.db"
    build_archive(path)
    add_hostile_article(path)
    return path


@contextlib.contextmanager
def serving(archive: Path, log_dir: Path, *options: str):
    """`ldtd serve` on `archive` as a user runs it (its own process, a free port, `options` added);
    yields the base URL."""
    port = _free_port()
    log = log_dir / f"serve-{port}.log"
    fh = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper.cli", "serve", "--db", str(archive), "--port", str(port), *options],
        stdout=fh, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"ldtd serve did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield base
    finally:
        proc.send_signal(signal.SIGTERM)  # ldtd forwards it to Datasette
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        fh.close()


@pytest.fixture(scope="session")
def server(archive_file, tmp_path_factory):
    with serving(archive_file, tmp_path_factory.mktemp("serve")) as base:
        yield base


@pytest.fixture(scope="module")
def playwright_api():
    # Module scope: Playwright's sync API keeps an event loop running in this thread while it is
    # open, which would break asyncio.run() in the test areas collected after this one.
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -e '.[dev]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs Debian's chromium)")
    with sync_api.sync_playwright() as p:
        yield p


@pytest.fixture
def browser_page(playwright_api, tmp_path, server):
    """A page in a fresh Chromium profile; `page.external_requests` lists what it tried to load from elsewhere."""
    context = playwright_api.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"),
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1200, "height": 900},
    )
    external: list[str] = []

    def guard(route):
        url = route.request.url
        if url.startswith(server) or url.startswith("data:") or url.startswith("about:"):
            route.continue_()
        else:
            external.append(f"{route.request.resource_type} {url}")
            route.abort()

    context.route("**/*", guard)
    page = context.pages[0] if context.pages else context.new_page()
    page.external_requests = external
    page.set_default_timeout(15_000)
    yield page
    context.close()
