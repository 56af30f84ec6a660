"""A crawl you can watch: on a terminal one live line and the log in a file beside the archive; --json and
--quiet for scripts; under cron (no terminal) the summary line, the log on standard error and in its file."""

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


def run_in_pty(cmd, timeout=240, columns=200) -> tuple[int, str]:
    """Run `cmd` with a pseudo-terminal (`columns` wide) as its standard output and error: (exit code,
    all it wrote)."""
    master, slave = open_terminal(columns)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    out = drain(master)
    return proc.wait(timeout), out.decode("utf-8", "replace")


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


def test_watched_crawl(reference, replica, tmp_path):
    """On a terminal: live progress lines rewritten with \\r (a backfill's listing depth among them), the
    log path, the summary; the log in its file, not on the screen. Then --quiet on a terminal: the
    summary alone; and --json for a script: the summary as JSON."""
    db = copy_db(reference.db, tmp_path / "archive.db")
    now = snapshot_time("base")
    code, screen = run_in_pty(crawl_cmd(db, replica.base_url, "--backfill", now=now, settings={"LOG_LEVEL": "INFO"}))
    assert code == 0, screen[-3000:]
    lines = screen.replace("\r\n", "\n").split("\n")
    progress = [part for line in lines for part in line.split("\r") if " pages/min" in part]
    assert progress and "\r" in screen, screen[-2000:]
    assert any(re.search(r"listings [1-9]\d* pages deep", p) for p in progress), progress[-3:]
    assert re.search(r"\d+ pages · \d+ new, \d+ updated, \d+ unchanged, \d+ gone · \d+ errors · queue \d+", progress[-1])
    assert "Spider opened" not in screen and "INFO" not in screen, screen[-2000:]
    log_line = [line for line in lines if line.startswith("log: ")]
    assert len(log_line) == 1, screen[-2000:]
    log = Path(log_line[0][len("log: "):].strip())
    assert log.parent == Path(f"{db}.logs") and log.exists()
    assert "Spider closed (finished)" in log.read_text(encoding="utf-8")
    assert SUMMARY.match(lines[-2] if lines[-1] == "" else lines[-1]), lines[-3:]

    code, screen = run_in_pty(crawl_cmd(db, replica.base_url, "--quiet", now=now))
    assert code == 0, screen[-3000:]
    assert screen.count("\n") == 1 and "\r" not in screen.rstrip("\r\n") and SUMMARY.match(screen), screen[-2000:]

    cmd = crawl_cmd(db, replica.base_url, "--json", now=now)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert set(summary) == {"outcome", "exit_code", "summary", "run_id", "counts", "pages", "elapsed_seconds",
                            "log_file"}
    assert summary["outcome"] == "ok" and summary["exit_code"] == 0 and SUMMARY.match(summary["summary"])
    assert set(summary["counts"]) == {"requests", "new", "updated", "unchanged", "gone", "failed", "rejected"}
    assert summary["counts"]["requests"] >= summary["pages"] > 0 and isinstance(summary["run_id"], int)
    assert Path(summary["log_file"]).exists() and len(list(Path(f"{db}.logs").glob("crawl-*.log"))) == 3
