"""`make bench` runs `python -m bench.run_all`: every benchmark in a quick mode, with its figures."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = ("parse_speed", "aeb", "crawl_rate", "search_speed", "crash_recovery")


def _run(*args, timeout=300):
    return subprocess.run([sys.executable, "-m", "bench.run_all", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


def test_make_bench_target_runs_bench_run_all():
    make = subprocess.run(["make", "-n", "-W", "pyproject.toml", "bench"], cwd=ROOT, capture_output=True, text=True)
    if make.returncode == 127:
        import pytest

        pytest.skip("no make")
    assert "-m bench.run_all" in make.stdout
    assert importlib.util.find_spec("bench.run_all") is not None


def test_run_all_lists_every_benchmark_with_its_quick_and_full_commands():
    result = _run("--list")
    assert result.returncode == 0, result.stderr
    for name in BENCHMARKS:
        assert f"quick: python -m bench.{name} " in result.stdout, name
        assert importlib.util.find_spec(f"bench.{name}") is not None
    assert "--articles 20000" in result.stdout and "bench/README.md" in result.stdout
    assert _run("--only", "nope").returncode == 2


def test_run_all_runs_a_benchmark_and_prints_its_figures():
    result = _run("--only", "parse_speed")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    assert "=== parse_speed" in out and "parse_article median:" in out  # the benchmark's own figures
    assert "summary (quick mode)" in out and "parse_speed" in out.split("summary", 1)[1]
    assert "bench/README.md" in out
