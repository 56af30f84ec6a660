"""reparse and export on a terminal: their progress on standard error only, the data on standard output
unchanged; --quiet and --json for scripts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.terminal import drain, open_terminal

from .builders import build_archive_from_pages, replica_article_pages

ROOT = Path(__file__).resolve().parents[2]


def ldtd_stderr_on_terminal(*args, tmp_path: Path) -> tuple[int, bytes, str]:
    """Run `ldtd ARGS` with standard output to a file and standard error on a pseudo-terminal: (exit code,
    standard output's bytes, what the terminal showed)."""
    master, slave = open_terminal(120)
    out_path = tmp_path / "stdout"
    with open(out_path, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "scraper.cli", *map(str, args)], cwd=ROOT,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=slave)
        os.close(slave)
        screen = drain(master)
        code = proc.wait(120)
    return code, out_path.read_bytes(), screen.decode("utf-8", "replace")


def ldtd_piped(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scraper.cli", *map(str, args)], cwd=ROOT, capture_output=True,
                          timeout=120)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_progress_goes_to_the_terminal_never_into_the_data(archive, tmp_path, fmt):
    code, data, screen = ldtd_stderr_on_terminal("export", "--format", fmt, "--db", archive, tmp_path=tmp_path)
    piped = ldtd_piped("export", "--format", fmt, "--db", archive)
    assert code == 0 and piped.returncode == 0, screen
    assert data == piped.stdout and len(data.splitlines()) > 3  # the data as without a terminal
    assert piped.stderr == b""
    assert "\r" in screen and " articles · " in screen and "/s" in screen, screen


def test_export_to_a_file_quiet_and_json(archive, tmp_path):
    out = tmp_path / "all.jsonl"
    code, data, screen = ldtd_stderr_on_terminal("export", "-o", out, "--db", archive, tmp_path=tmp_path)
    count = len(out.read_text(encoding="utf-8").splitlines())
    assert code == 0 and data == b"" and f"{count} articles written to {out}" in screen, screen
    code, data, screen = ldtd_stderr_on_terminal("export", "-o", out, "--quiet", "--db", archive, tmp_path=tmp_path)
    assert code == 0 and data == b"" and screen == "", screen
    piped = ldtd_piped("export", "-o", out, "--json", "--db", archive)
    summary = json.loads(piped.stdout)
    assert set(summary) == {"format", "output", "count", "unit", "elapsed_seconds"}, summary
    assert summary["count"] == count and summary["unit"] == "articles" and summary["output"] == str(out)
    refused = ldtd_piped("export", "--json", "--db", archive)  # standard output carries the data
    assert refused.returncode == 2 and b"--json needs -o FILE" in refused.stderr and refused.stdout == b""


@pytest.fixture
def page_archive(tmp_path):
    if not replica_article_pages():
        pytest.skip("the replica site is not generated")
    path = tmp_path / "archive.db"
    return path, build_archive_from_pages(path)


def test_reparse_progress_on_the_terminal_summary_on_stdout(page_archive, tmp_path):
    path, ids = page_archive
    summary = f"Changed: 0, unchanged: {len(set(ids))}, failed: 0"
    code, data, screen = ldtd_stderr_on_terminal("reparse", "--db", path, tmp_path=tmp_path)
    assert code == 0 and data.decode() == summary + "\n", (data, screen)
    assert "Reparsing" in screen and "\r" in screen, screen
    code, data, screen = ldtd_stderr_on_terminal("reparse", "--quiet", "--db", path, tmp_path=tmp_path)
    assert code == 0 and data.decode() == summary + "\n" and screen == "", screen
    piped = ldtd_piped("reparse", "--json", "--db", path)
    result = json.loads(piped.stdout)
    assert piped.returncode == 0 and piped.stderr == b"", piped.stderr
    assert set(result) == {"outcome", "exit_code", "summary", "run_id", "dry_run", "counts", "failures"}
    assert result["summary"] == summary and result["outcome"] == "ok" and isinstance(result["run_id"], int)
    assert result["counts"] == {"changed": 0, "unchanged": len(set(ids)), "failed": 0, "new": 0}
