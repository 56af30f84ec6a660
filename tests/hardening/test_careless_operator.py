"""A careless operator: `ldtd crawl` pointed at a file that is not an archive it can write (a text file,
a damaged database, another program's database, a read-only file or directory), or given values a crawl
cannot use. Each is refused before anything runs: one line on stderr, a documented exit code, no
traceback, and the file and its directory exactly as they were (no tables added, no -wal, no lock file).

Every command points at a closed port (127.0.0.1:9): a crawl that started anyway would fail (and, on the
foreign database, add its tables), which these tests catch; none needs a crawl."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.cli.checks import EXIT_UNUSABLE_ARCHIVE
from scraper.storage import Archive

ROOT = Path(__file__).resolve().parents[2]
NOWHERE = "http://127.0.0.1:9"


def ldtd_crawl(db, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", NOWHERE,
                           "-s", "LOG_LEVEL=WARNING", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def snapshot(directory: Path) -> dict[str, str]:
    """Every file of the directory with its content's hash."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir()) if p.is_file()}


def one_line_refusal(run: subprocess.CompletedProcess, code: int, words: str) -> None:
    assert run.returncode == code, (run.returncode, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and words in errors[0], run.stderr


def _foreign(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("create table customers (id integer primary key, name text)")
    con.execute("insert into customers (name) values ('Nguyễn Văn A')")
    con.commit()
    con.close()


def _damaged(path: Path) -> None:
    _foreign(path)
    data = bytearray(path.read_bytes())
    data[100:] = (bytes(range(256)) * (len(data) // 256 + 1))[: len(data) - 100]  # the schema page overwritten
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("kind, make, words", [
    ("text", lambda p: p.write_text("id,title\n1,Tin tức\n", encoding="utf-8"), "not an SQLite database"),
    ("damaged", _damaged, "damaged SQLite database"),
    ("foreign", _foreign, "another program's SQLite database"),
])
def test_a_file_that_is_not_an_archive_is_refused_and_left_untouched(tmp_path, kind, make, words):
    db = tmp_path / "archive.db"
    make(db)
    before = snapshot(tmp_path)
    run = ldtd_crawl(db)
    one_line_refusal(run, EXIT_UNUSABLE_ARCHIVE, words)
    assert snapshot(tmp_path) == before  # no table added, no -wal/-shm, no lock file


@pytest.fixture
def read_only_archive(tmp_path):
    """An archive the crawl cannot write: as root (who may write any file), on a read-only filesystem (a
    tmpfs the test mounts, then remounts read-only); as another user, a read-only file in a read-only
    directory."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        Archive.open(disk / "archive.db").close()
        (disk / "archive.db").chmod(0o444)
        disk.chmod(0o555)
        yield disk / "archive.db"
        disk.chmod(0o755)
        return
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"root, and cannot mount a read-only filesystem here: {mounted.stderr.strip()}")
    try:
        Archive.open(disk / "archive.db").close()
        remounted = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        assert remounted.returncode == 0, remounted.stderr
        yield disk / "archive.db"
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_a_read_only_archive_is_refused_before_anything_runs(read_only_archive):
    before = snapshot(read_only_archive.parent)
    run = ldtd_crawl(read_only_archive)
    one_line_refusal(run, EXIT_UNUSABLE_ARCHIVE, "read-only")
    assert snapshot(read_only_archive.parent) == before


@pytest.mark.parametrize("args, words", [
    (["--recrawl-days", "1e20"], "--recrawl-days"),
    (["--recrawl-days", "nan"], "--recrawl-days"),
    (["--recrawl-days", "-1"], "--recrawl-days"),
    (["-s", "LDTD_RECRAWL_DAYS=1e20"], "LDTD_RECRAWL_DAYS"),
    (["-s", "LDTD_FAIL_RATIO=abc"], "LDTD_FAIL_RATIO"),
    (["-s", "LDTD_FAIL_RATIO=1.5"], "LDTD_FAIL_RATIO"),
    (["-s", "LDTD_MODE=bogus"], "LDTD_MODE"),
    (["-s", "LDTD_BATCH_SIZE=ten"], "LDTD_BATCH_SIZE"),
    (["-s", "LDTD_FOLLOW_RELATED=maybe"], "LDTD_FOLLOW_RELATED"),
    (["-s", "LDTD_SINCE=2024-02-30"], "LDTD_SINCE"),
    (["-s", "DOWNLOAD_DELAY=abc"], "DOWNLOAD_DELAY"),
])
def test_values_a_crawl_cannot_use_are_refused_before_it_runs(tmp_path, args, words):
    db = tmp_path / "archive.db"
    run = ldtd_crawl(db, *args)
    one_line_refusal(run, 2, words)
    assert list(tmp_path.iterdir()) == []  # no archive created, no run recorded


def test_values_a_crawl_can_use_pass_the_checks():
    from scraper.cli.checks import setting_error

    for name, value in [("LDTD_MODE", "Backfill"), ("LDTD_RECRAWL_DAYS", "0.5"), ("LDTD_FAIL_RATIO", "1"),
                        ("LDTD_STORE_PROCESS", "auto"), ("LDTD_STORE_PROCESS", "0"), ("LDTD_FOLLOW_RELATED", "False"),
                        ("LDTD_SINCE", "2024-02-29"), ("LDTD_BATCH_SIZE", "50"), ("LOG_LEVEL", "WARNING")]:
        assert setting_error(name, value) is None, (name, value)
    assert setting_error("CLOSESPIDER_TIMEOUT", "0.5", default=0) is None  # an int default read as a float
    assert setting_error("ROBOTSTXT_OBEY", "yes", default=True) is not None  # Scrapy's getbool refuses it
