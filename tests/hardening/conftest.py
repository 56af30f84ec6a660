"""Hardening tests: real `ldtd crawl` subprocesses against the replica server with fault modes
(`scraper.replica.faults`), kills, hostile pages, the redesign state. Helpers shared with the crawl
tests come from `tests.crawl.conftest` (one way to run and compare crawls in the project)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.crawl.conftest import (  # noqa: F401  (re-exported for the tests here)
    ROOT,
    CrawlRun,
    archive_content,
    archived_count,
    copy_db,
    count_crawl,
    crawl_cmd,
    db_rows,
    expected_records,
    snapshot_time,
    spawn_crawl,
)
from tests.crawl.histories import RENAMED  # noqa: F401  (what the shared histories play, for the tests here)
from tests.crawl.site_under_fire import (  # noqa: F401  (what the site under fire plays)
    HOSTILE,
    HOSTILE_REDESIGN,
    SECRET,
    TO_INTERNAL,
    TO_OTHER_PORT,
)


def kill_after(proc, seconds: float, db=None, stored: int = 0) -> bool:
    """SIGKILL the crawl's process group `seconds` after it started (or, with `stored`, `seconds` after
    the archive first holds that many articles). True if it was still running."""
    if stored:
        limit = time.monotonic() + 120
        while proc.poll() is None and archived_count(db) < stored and time.monotonic() < limit:
            time.sleep(0.005)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    if proc.poll() is not None:
        return False
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return True


def path_of(aid: int, state: str = "base") -> str:
    """The replica path of an article id ("/slug-123.html")."""
    url = expected_records(state)[aid]["url"]
    return url[len("https://laodongthudo.vn"):]


def run_crawl(db, base_url, *args, stats_dir: Path, name: str, settings=None, now=None, timeout=240) -> CrawlRun:
    stats = stats_dir / f"stats-{name}.json"
    proc = subprocess.run(crawl_cmd(db, base_url, *args, now=now or snapshot_time("base"), stats=stats,
                                    settings=settings),
                          cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return CrawlRun(proc, stats)


def last_run(db) -> dict:
    row = db_rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    row["errors"] = json.loads(row["errors"] or "[]")
    return row


def errors_for(run_row: dict, url_part: str) -> list[str]:
    return [e["reason"] for e in run_row["errors"] if "url" in e and url_part in e["url"]]


def integrity(db) -> tuple[str, bool]:
    """(PRAGMA integrity_check, FTS5 integrity-check passed)."""
    con = sqlite3.connect(db)
    try:
        check = con.execute("PRAGMA integrity_check").fetchone()[0]
        try:
            con.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
            fts = True
        except sqlite3.DatabaseError:
            fts = False
        return check, fts
    finally:
        con.close()


@pytest.fixture(scope="session")
def reference_db(reference) -> Path:
    """An uninterrupted, fault-free backfill of the base replica (the suite's one, `tests.crawl.histories`):
    what every faulty or killed history must end up equal to."""
    return reference.db
