"""Scrapy's own tools (`scrapy fetch`, `shell`, `view`, `parse`) run in the project, on the replica and
on laodongthudo.vn URLs mapped onto it, and leave the archive alone: they exit, and no archive, run
record or crawl lock appears (`scrapy shell` used to hang and leave a "running" run in archive.db,
which the next crawl took for an interrupted one).

Each command runs in a temporary project directory (a copy of scrapy.cfg: what `scrapy` finds from
the repository root), where `archive.db` would be created."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.replica.server import ReplicaServer

from .conftest import ROOT, path_of

ARTICLE = 164585
SCRAPY = [sys.executable, "-m", "scrapy"]


@pytest.fixture(scope="module")
def site():
    with ReplicaServer("base") as server:
        yield server


def run_tool(workdir: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "scrapy.cfg", workdir / "scrapy.cfg")
    return subprocess.run([*SCRAPY, *args], cwd=workdir, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


def assert_archive_untouched(workdir: Path) -> None:
    assert sorted(p.name for p in workdir.iterdir()) == ["scrapy.cfg"]


@pytest.mark.parametrize("tool", ["fetch", "shell", "view"])
def test_fetch_shell_and_view_of_a_mirror_page(site, tool, tmp_path):
    url = site.base_url + path_of(ARTICLE)
    args = {"fetch": ["fetch", "--nolog", url],
            "shell": ["shell", "--nolog", "-c", "(response.status, response.css('h1::text').get())", url],
            "view": ["view", "--nolog", url]}[tool]
    proc = run_tool(tmp_path, *args, env={"BROWSER": "true"})  # (view: a browser that opens nothing)
    assert proc.returncode == 0, proc.stderr[-2000:]
    if tool == "fetch":
        assert f"-{ARTICLE}" in proc.stdout and "</html>" in proc.stdout
    if tool == "shell":
        assert proc.stdout.startswith("(200, "), proc.stdout
    assert_archive_untouched(tmp_path)


def test_site_urls_through_the_spider_mapped_onto_the_mirror(site, tmp_path):
    """A laodongthudo.vn URL picks the project's spider (its mirror mapping, its site-only rule): `fetch`
    gets the page from the mirror, and `parse` shows what the spider makes of it."""
    url = "https://laodongthudo.vn" + path_of(ARTICLE)
    mirror = ["-s", f"LDTD_BASE_URL={site.base_url}"]
    fetched = run_tool(tmp_path, "fetch", "--nolog", *mirror, url)
    assert fetched.returncode == 0 and "</html>" in fetched.stdout, fetched.stderr[-2000:]
    parsed = run_tool(tmp_path, "parse", *mirror, "--spider", "laodongthudo", "-c", "parse_article", url)
    assert parsed.returncode == 0 and "Traceback" not in parsed.stderr, parsed.stderr[-3000:]
    assert f"'article_id': {ARTICLE}," in parsed.stdout  # the page's item, then the related articles it links
    assert parsed.stdout.split("# Requests")[1].count("<GET https://laodongthudo.vn/") >= 3, parsed.stdout[-2000:]
    assert_archive_untouched(tmp_path)
