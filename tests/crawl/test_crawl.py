"""Real crawls of the replica: backfill completeness; exit codes; the crawl command's help. (`ldtd demo`:
tests/browse/test_demo_archive.py.)"""

from __future__ import annotations

import subprocess
import sys


from scraper.crawl.pipeline import decide_outcome
from scraper.crawl.run import EXIT_FAILED, CrawlResult
from scraper.storage.archive import Archive

from .conftest import ROOT, db_rows, expected_records


def test_backfill_archives_every_replica_article(reference):
    """The suite's reference backfill (`histories.reference`, on the one-core path: inline parse, writer
    thread) archives every replica article exactly as the expected records say."""
    db, run, served = reference.db, reference.run, reference.served
    assert run.outcome == "ok", run
    assert run.stats["ldtd/parsed"] == run.stats["ldtd/parsed_by/selectors"] >= 48

    expected = expected_records("base")
    assert expected, "no expected records for the base state"
    with Archive.open(db, migrate=False) as archive:
        for aid, exp in expected.items():
            got = archive.record(aid)
            assert got is not None, f"article {aid} ({exp['url']}) not archived"
            for key in ("url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at",
                        "category", "category_url", "tags", "images", "related"):
                assert got[key] == exp[key], f"article {aid}: {key} differs"
    # every stored URL is canonical, never the mirror's
    for table, col in (("articles", "url"), ("pages", "url"), ("related_links", "url"), ("images", "url")):
        for row in db_rows(db, f"SELECT {col} AS u FROM {table}"):
            assert "127.0.0.1" not in row["u"], (table, row["u"])
    # the run records itself
    (row,) = db_rows(db, "SELECT * FROM crawl_runs")
    assert row["mode"] == "backfill" and row["outcome"] == "ok" and row["finished_at"]
    assert row["new"] == len(db_rows(db, "SELECT id FROM articles")) >= len(expected)
    assert row["requests"] == run.stats["downloader/request_count"]

    # no request left for another host: every request Scrapy sent reached the replica
    assert run.stats["downloader/request_count"] == len(served)
    assert all(m == "GET" for m, _p, _s in served)
    # tags, print pages and robots-forbidden paths are never fetched; robots.txt came from the mirror
    paths = [p for _m, p, _s in served]
    assert "/robots.txt" in paths
    assert not [p for p in paths if p.startswith(("/tag/", "/apicenter@", "/widgets@", "/adsfw/"))]
    # each page once (robots.txt: once by the robots middleware, once for its Sitemap lines)
    dups = {p for p in paths if paths.count(p) > 1} - {"/robots.txt"}
    assert not dups, dups


def test_a_run_whose_article_fetches_all_fail_is_failed():
    """Listings answer, every article page answers 403 (blocked) or 503 (down): exit 1, not "ok", and the
    record says why. (The decision; the fetch failures counted by reason through a crawl, and the next
    run archiving what failed: tests/crawl/site_under_fire.py's two crawls.)"""
    outcome, why = decide_outcome(parsed=0, parse_failed=0, pages_ok=3, reason="finished", fail_ratio=0.5,
                                  fetch_failed=2)
    assert outcome == "failed" and why == ["2 of 2 article fetches failed (blocked or down?)"]
    assert CrawlResult(outcome, "", {}).exit_code == EXIT_FAILED == 1
    # one failed fetch among many is the run's error list, not a failed run
    assert decide_outcome(parsed=9, parse_failed=0, pages_ok=12, reason="finished", fail_ratio=0.5,
                          fetch_failed=1) == ("ok", [])


def test_exit_code_when_nothing_could_be_fetched():
    """Nothing answered (no server): failed, exit 1, and the run's record says why (the decision; a
    failed run's exit code and record through a real crawl: tests/crawl/test_outcome.py)."""
    outcome, why = decide_outcome(parsed=0, parse_failed=0, pages_ok=0, reason="finished", fail_ratio=0.5)
    assert outcome == "failed" and why == ["nothing could be fetched"]
    assert CrawlResult(outcome, "", {}).exit_code == EXIT_FAILED == 1


def test_exit_code_when_the_parser_fails_on_most_articles():
    """Listings still yield article links but the article pages no longer parse: a redesign."""
    outcome, why = decide_outcome(parsed=0, parse_failed=6, pages_ok=8, reason="finished", fail_ratio=0.5)
    assert outcome == "failed" and "parser failed on 6 of 6" in why[0]
    assert decide_outcome(parsed=5, parse_failed=1, pages_ok=8, reason="finished", fail_ratio=0.5)[0] == "ok"


def test_cli_help_has_examples():
    for command in ("crawl", "demo"):
        out = subprocess.run([sys.executable, "-m", "scraper.cli", command, "--help"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
        assert "Example" in out
    out = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--help"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    for opt in ("--db", "--base-url", "--backfill", "--since", "--recrawl-days", "-s"):
        assert opt in out
