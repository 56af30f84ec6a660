"""Fixtures for the query tests: real archive files written through Archive, and a Datasette instance
configured exactly as `ldtd serve` configures it (the plugin comes from its entry point, as installed)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3

import pytest
from click.testing import CliRunner

from scraper.datasette import config

from .builders import add_hostile_article, build_archive


@pytest.fixture(scope="session")
def archive_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "archive.db"
    build_archive(path)
    add_hostile_article(path)
    return path


@pytest.fixture
def archive(archive_template, tmp_path):
    """A fresh copy per test, so a test that writes (reparse) cannot leak into another."""
    path = tmp_path / "archive.db"
    src = sqlite3.connect(archive_template)
    dst = sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    return path


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def ldtd(runner):
    from scraper.cli import main

    def invoke(*args, **kw):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)

    return invoke


class Client:
    """Synchronous wrapper around Datasette's own test client (no pytest-asyncio needed)."""

    def __init__(self, ds):
        self.ds = ds

    def get(self, path, follow_redirects=False):
        # In a thread of its own: another test's Playwright may hold a running loop in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, self.ds.client.get(path, follow_redirects=follow_redirects)).result()


@pytest.fixture(scope="session")
def datasette(archive_template):
    from datasette.app import Datasette

    ds = Datasette(
        [str(archive_template)],
        settings=config.SETTINGS,
    )
    return Client(ds)
