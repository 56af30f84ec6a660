"""A redesign of the site: the replica's `redesign` state (every class and id renamed, sidebar moved,
inline related box after the body, <time> dates, <figure> images...). The crawl still archives
every article through the generic fallback, marks each record as the fallback's, and tells the
operator: outcome "degraded", exit code 2, "site template changed? N of M ..." in the summary and
in `crawl_runs.errors`. `ldtd parse` works on other sites' article pages through the fallback.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from scraper.crawl.run import EXIT_DEGRADED, EXIT_FAILED, EXIT_OK
from scraper.replica.server import ReplicaServer

from .conftest import ROOT, db_rows, expected_records, last_run, run_crawl

AEB = ROOT.parent / "shared" / "aeb"  # ../shared beside the checkout, as CI lays it out


@pytest.fixture(scope="module")
def redesign_crawl(tmp_path_factory):
    d = tmp_path_factory.mktemp("redesign")
    db = d / "archive.db"
    with ReplicaServer("redesign") as srv:
        run = run_crawl(db, srv.base_url, "--backfill", stats_dir=d, name="redesign")
    return run, db


def test_redesign_is_reported_as_a_template_change(redesign_crawl):
    run, db = redesign_crawl
    assert EXIT_DEGRADED not in (EXIT_OK, EXIT_FAILED)
    assert run.returncode == EXIT_DEGRADED, run
    n = len(expected_records("redesign"))
    row = last_run(db)
    assert row["outcome"] == "degraded" and row["finished_at"]
    assert "template changed" in row["summary"] and f"{n} of {n}" in row["summary"]
    assert any("template changed" in e["reason"] for e in row["errors"])
    assert "template changed" in run.stdout  # the one line the operator (or cron's mail) sees
    assert row["new"] == n and row["failed"] == 0


def test_fallback_archives_every_article_of_the_redesign(redesign_crawl):
    _run, db = redesign_crawl
    rows = {r["id"]: r for r in db_rows(db, "SELECT * FROM articles")}
    expected = expected_records("redesign")
    assert set(rows) == set(expected)
    for aid, exp in expected.items():
        got = rows[aid]
        for key in ("title", "sapo", "published_at", "body"):
            assert got[key] == exp[key], (aid, key)
        assert got["extraction_strategy"] == "fallback", aid
        assert got["extraction_template"] is None
        assert "no site template matched" in json.loads(got["extraction_warnings"])
        for rel in exp["related"]:
            if rel["title"]:
                assert rel["title"] not in got["body"], (aid, rel["title"])


def _aeb_pages(n: int):
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    return sorted(truth.items())[:n]


@pytest.mark.skipif(not (AEB / "ground-truth.json").exists(), reason="no AEB data in ../shared/aeb")
@pytest.mark.parametrize("with_url", [True, False], ids=["--url", "canonical"])
def test_ldtd_parse_works_on_other_sites_pages(tmp_path, with_url):
    from bench.aeb import shingle_match

    for key, truth in _aeb_pages(4):
        page = tmp_path / f"{key[:12]}.html"
        page.write_bytes(gzip.decompress((AEB / "html" / f"{key}.html.gz").read_bytes()))
        cmd = [sys.executable, "-m", "scraper.cli", "parse", str(page)]
        if with_url:
            cmd += ["--url", truth["url"]]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, (key, proc.stderr)
        record = json.loads(proc.stdout)
        assert record["extraction"]["strategy"] == "fallback"
        assert record["id"] is None and record["title"] and record["body"]
        tp, fp, fn = shingle_match(truth["articleBody"], record["body"])
        recall, precision = tp / ((tp + fn) or 1), tp / ((tp + fp) or 1)
        assert recall > 0.7 and precision > 0.7, (key, recall, precision)  # the AEB metric, per page
