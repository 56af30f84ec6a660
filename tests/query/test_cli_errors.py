"""One clear line instead of a traceback: `ldtd reparse` while a crawl writes the archive (it waits for the
crawl's lock and says so, or exits 4 with --no-wait), and `ldtd export -o` into a missing directory or onto
the archive itself (refused before anything is written)."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from scraper.cli import main
from scraper.crawl.run import EXIT_LOCKED, crawl_lock

from .builders import ROOT, build_archive_from_pages


@pytest.fixture
def page_archive(tmp_path):
    path = tmp_path / "archive.db"
    build_archive_from_pages(path)
    return path


class RunningCrawl:
    """What a crawl holds while it writes: the archive's crawl lock and, between commits, a write
    transaction (here held open until `finish`)."""

    def __init__(self, path):
        self.lock = crawl_lock(str(path))
        self.lock.__enter__()
        self.con = sqlite3.connect(path, isolation_level=None)
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute("INSERT INTO crawl_runs (started_at, mode, outcome) VALUES"
                         " ('2024-12-05T08:00:00+07:00', 'incremental', 'running')")

    def finish(self):
        if self.con is not None:
            self.con.execute("COMMIT")
            self.con.close()
            self.con = None
            self.lock.__exit__(None, None, None)


def _reparse(path, *args, stderr) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "scraper.cli", "reparse", "--db", str(path), *args],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, text=True)


def _runs(path, mode):
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT outcome FROM crawl_runs WHERE mode = ?", [mode]).fetchall()
    finally:
        con.close()


def test_reparse_waits_for_a_running_crawl_and_says_so(page_archive, tmp_path):
    crawl = RunningCrawl(page_archive)
    err = (tmp_path / "stderr.txt").open("w+")
    proc = _reparse(page_archive, stderr=err)
    try:
        deadline = time.monotonic() + 20
        while "waiting" not in (tmp_path / "stderr.txt").read_text() and proc.poll() is None:
            assert time.monotonic() < deadline, "reparse neither waited nor said so"
            time.sleep(0.1)
        time.sleep(1)
        said = (tmp_path / "stderr.txt").read_text()
        assert proc.poll() is None, said  # still waiting, not failed
        assert len([line for line in said.splitlines() if "waiting" in line]) == 1, said
        assert _runs(page_archive, "reparse") == []  # nothing written while the crawl holds the archive
        crawl.finish()
        assert proc.wait(120) == 0, (tmp_path / "stderr.txt").read_text()
    finally:
        crawl.finish()
        if proc.poll() is None:
            proc.kill()
        err.close()
    said = (tmp_path / "stderr.txt").read_text()
    assert "Traceback" not in said and "database is locked" not in said, said
    assert _runs(page_archive, "reparse") == [("ok",)]


def test_reparse_no_wait_exits_4_in_one_line_and_writes_nothing(page_archive):
    crawl = RunningCrawl(page_archive)
    try:
        proc = _reparse(page_archive, "--no-wait", stderr=subprocess.PIPE)
        out, err = proc.communicate(timeout=60)
    finally:
        crawl.finish()
    assert proc.returncode == EXIT_LOCKED, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1 and "crawl" in err, err
    assert _runs(page_archive, "reparse") == []


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_export_into_a_missing_directory_is_one_line(page_archive, tmp_path):
    target = tmp_path / "no" / "such" / "dir" / "out.jsonl"
    result = CliRunner().invoke(main, ["export", "-o", str(target), "--db", str(page_archive)])
    assert result.exit_code == 2, (result.output, result.exception)
    assert "does not exist" in result.output
    assert not (tmp_path / "no").exists()


def test_export_onto_the_archive_itself_is_refused(page_archive):
    before = _digest(page_archive)
    result = CliRunner().invoke(main, ["export", "-o", str(page_archive), "--db", str(page_archive)])
    assert result.exit_code == 2 and "the archive itself" in result.output, result.output
    assert _digest(page_archive) == before
