"""A crawl you can watch: on a terminal one live line and the log in a file beside the archive (the
backfill of tests/crawl/test_images.py runs on a terminal: test_a_crawl_on_a_terminal_shows_one_live_line
there); --json and --quiet for scripts; under cron (no terminal) the summary line, the log on standard
error and in its file."""

from __future__ import annotations

import json
import os
import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from scraper.crawl.progress import LOGS_KEPT, Progress, log_file_path, prune_logs
from scraper.cli.progress import OutputMode, output_mode
from tests.terminal import drain, open_terminal

from .conftest import ROOT, copy_db, crawl_cmd, snapshot_time

SUMMARY = re.compile(r"^(ok|degraded|failed|interrupted): \d+ requests, \d+ new, \d+ updated, \d+ unchanged, \d+ gone,"
                     r" \d+ failed")


def test_output_modes():
    assert output_mode(tty=True) == OutputMode(progress=True, log_to_screen=False)  # the log in its file
    assert output_mode(tty=False) == OutputMode(progress=False, log_to_screen=True)  # cron: as `scrapy crawl`
    for tty in (True, False):
        assert output_mode(tty, verbose=True) == OutputMode(progress=False, log_to_screen=True)
        assert output_mode(tty, quiet=True) == output_mode(tty, as_json=True) == OutputMode(False, False)


def test_progress_line():
    p = Progress(pages=120, new=40, updated=3, unchanged=70, gone=1, errors=2, queue=35, elapsed=60.0)
    assert p.line() == "120 pages · 40 new, 3 updated, 70 unchanged, 1 gone · 2 errors · queue 35 · 120 pages/min"
    deep = Progress(pages=0, new=0, updated=0, unchanged=0, gone=0, errors=0, queue=0, elapsed=0, listing_depth=7)
    assert deep.line().endswith("0 pages/min · listings 7 pages deep")


def test_log_rotation_keeps_the_newest(tmp_path):
    db = tmp_path / "archive.db"
    start = datetime(2026, 12, 7, 1, 0, 0)
    made = []
    for i in range(LOGS_KEPT + 5):
        path = log_file_path(str(db), start + timedelta(hours=i))
        assert path.exists() and path.read_text() == ""  # made: its name is taken
        made.append(path)
    same_second = log_file_path(str(db), start + timedelta(hours=LOGS_KEPT + 4))  # a second run that second
    assert same_second.name.endswith("-2.log") and same_second.parent == tmp_path / "archive.db.logs"
    assert same_second != made[-1] and same_second.exists()
    deleted = prune_logs(same_second.parent)
    kept = sorted(same_second.parent.iterdir())
    assert len(kept) == LOGS_KEPT and same_second in kept and made[-1] in kept
    assert sorted(deleted) == sorted(made[:6]) and not any(p.exists() for p in deleted)
    (same_second.parent / "notes.txt").write_text("not a log")
    assert prune_logs(same_second.parent) == [] and (same_second.parent / "notes.txt").exists()


def test_no_terminal_prints_the_summary_line_and_keeps_the_log(reference):
    """The suite's reference backfill ran as cron runs it: one line on standard output, the log on
    standard error, and the same log in a file beside the archive."""
    run = reference.run
    assert run.stdout.count("\n") == 1 and SUMMARY.match(run.stdout), run.stdout
    assert "\r" not in run.stderr and "Spider closed (finished)" in run.stderr
    logs = list(Path(f"{reference.db}.logs").glob("crawl-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "Spider opened" in text and "Spider closed (finished)" in text and "ldtd run" in text


def test_quiet_prints_the_summary_alone(day2_history):
    """--quiet (day2_history's "again" run): the summary line alone, nothing on standard error, the log
    in its file. (On a terminal --quiet shows no live line either: test_output_modes.)"""
    run = day2_history["again"]
    assert run.returncode == 0, run
    assert run.stdout.count("\n") == 1 and "\r" not in run.stdout and SUMMARY.match(run.stdout), run.stdout[-2000:]
    assert run.stderr == "", run.stderr[-2000:]


def test_json_prints_the_summary_as_json(day2_history):
    """--json for a script (day2_history's "day2" run): the summary as JSON on standard output, nothing
    on standard error."""
    run = day2_history["day2"]
    assert run.returncode == 0 and run.stderr == "", run.stderr[-2000:]
    summary = json.loads(run.stdout)
    assert set(summary) == {"outcome", "exit_code", "summary", "run_id", "counts", "pages", "elapsed_seconds",
                            "log_file", "images"}
    assert summary["outcome"] == "ok" and summary["exit_code"] == 0 and SUMMARY.match(summary["summary"])
    assert set(summary["counts"]) == {"requests", "new", "updated", "unchanged", "gone", "failed", "rejected"}
    assert summary["counts"]["requests"] >= summary["pages"] > 0 and isinstance(summary["run_id"], int)
    assert summary["images"] is None  # (images off)
    assert [Path(summary["log_file"])] == day2_history["logs_after_day2"]
