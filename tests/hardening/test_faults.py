"""Fault modes of the replica (`scraper.replica.faults`) against real `ldtd crawl` runs: the history
`tests.crawl.site_under_fire` (two crawls; its docstring lists what each meets), one test per outcome.

- NEW (crawl 1, a backfill into an empty archive): transient faults (503 x2, 500, 429 + Retry-After,
  one slow answer) clear on retry inside the run; charset tricks and a mislabelled content type still
  archive the exact record; permanent faults fail the article with its reason in `crawl_runs.errors`.
  The run finishes "ok" (exit 0) with the good pages archived. Then the faults clear and the next run
  archives every article that failed; the archive ends as an uninterrupted, fault-free backfill would
  have it, but for what crawl 2's own faults legitimately change (`LEGIT_CHANGES`).
- ARCHIVED (crawl 2): good archived copies refetched while they answer truncated, empty, soft-404, JPEG,
  dropped mid-body or 503 pages: no good copy is overwritten or versioned, each failure is logged (a page
  cut after its article, Content-Length matching, parses: the same text, so the good copy stays). Two more
  redirect to the home page and to a listing: they are marked gone (content kept).
- NAVIGATION (crawl 1): listings answer 503 or loop, the sitemap is cut, feeds are broken or dead,
  robots.txt answers 500: every article still archived through the other ways in, the walk's holes
  recorded; the next run walks again and does its own incremental work (an edit, a deletion, the
  recrawl window, gone marks) on top of the backfill it completes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from scraper.clock import parse_iso
from scraper.crawl import policy
from scraper.storage.archive import Archive
from scraper.storage.archive_view import ArchiveView
from scraper.urls import article_id
from spiders.laodongthudo import read_state
from tests.crawl.site_under_fire import (
    A1,
    ARCHIVED,
    B1,
    B2,
    CHARSET,
    DEEP,
    DELETED,
    EDITED,
    FAILING,
    HOSTILE,
    HOSTILE_REDESIGN,
    N2,
    NEW,
    P1,
    P3,
    RECRAWL_DAYS,
    REDIRECTED_AWAY,
    SLOW,
    T_429,
    T_500,
    T_503,
    T_SLOW,
    TO_INTERNAL,
    TO_OTHER_PORT,
    TRANSIENT,
    UNARCHIVED_AFTER_BACKFILL,
    WEEK_LATER,
    U,
    path_of,
    record,
)

from .conftest import db_rows, errors_for, expected_records, integrity

RECORD_KEYS = ("url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at", "category",
               "category_url", "tags", "images", "related")
ARCHIVED_FAILING = {aid for aid, (_make, reason) in ARCHIVED.items() if reason}
# what crawl 2 changes on purpose, compared with a fault-free backfill of the base replica: pages served
# with payloads (archived sanitized), a day-2 edit, a deletion, two articles redirected away, two never
# archived (their URLs redirect off the site)
GONE_AFTER = {DELETED, *REDIRECTED_AWAY}
LEGIT_CHANGES = {*HOSTILE, HOSTILE_REDESIGN, EDITED, TO_INTERNAL, TO_OTHER_PORT}


def url(aid: int) -> str:
    return expected_records("base")[aid]["url"]


# --- the faulty run as a whole ---------------------------------------------------------------------

def test_faulty_run_finishes_ok_and_counts_every_failure(site_under_fire):
    """Crawl 1 fails, each with its reason: the NEW faults that do not clear, and the transfer history's
    three (N2 cut inside its article, U a body fragment, B1 answering 503 while A1 serves its page)."""
    run, row = site_under_fire["backfill"], site_under_fire["backfill_row"]
    assert run.returncode == 0, run
    assert row["outcome"] == "ok" and row["finished_at"]
    failing = FAILING | {N2, U, B1}
    assert row["failed"] == len(failing) == 16, row["errors"]
    failed_urls = {e["url"] for e in row["errors"] if "url" in e}
    assert failed_urls == {url(aid) for aid in failing}
    assert f"{len(failing)} failed" in run.summary


def test_good_pages_are_archived_in_the_faulty_run(site_under_fire):
    got = site_under_fire["ids_after_backfill"]
    assert got == set(expected_records("base")) - UNARCHIVED_AFTER_BACKFILL
    assert TRANSIENT <= got


@pytest.mark.parametrize("aid", sorted(FAILING))
def test_each_failure_is_logged_with_its_reason(site_under_fire, aid):
    reasons = errors_for(site_under_fire["backfill_row"], url(aid))
    assert len(reasons) == 1 and reasons[0].startswith(NEW[aid][1]), reasons


def test_transient_5xx_clear_on_retry(site_under_fire):
    hits = site_under_fire["hits"]
    assert hits[T_503] == 2 and hits[T_500] == 1  # the 503s and the 500 were really served
    assert {T_503, T_500} <= site_under_fire["ids_after_backfill"]
    assert site_under_fire["backfill"].stats.get("retry/count", 0) >= 3


def test_429_retry_after_is_waited_for(site_under_fire):
    run = site_under_fire["backfill"]
    assert site_under_fire["hits"][T_429] >= 1 and site_under_fire["early"][T_429] == 0, \
        f"{site_under_fire['early'][T_429]} retries came before Retry-After had passed"
    assert T_429 in site_under_fire["ids_after_backfill"]
    assert run.stats.get("ldtd/retry_after/waits", 0) >= 1
    # a Retry-After beyond LDTD_RETRY_AFTER_MAX (120 s) is not waited for: one request, then the next run
    assert site_under_fire["hits"][202750] == 1 and run.stats.get("ldtd/retry_after/too_long") == 1


def test_one_timeout_clears_on_retry_a_permanent_one_fails(site_under_fire):
    assert SLOW > 2  # (the pages sleep longer than DOWNLOAD_TIMEOUT)
    assert T_SLOW in site_under_fire["ids_after_backfill"]
    assert site_under_fire["hits"][184571] == 4  # the first try and RETRY_TIMES=3 retries, each timed out
    stats = site_under_fire["backfill"].stats
    assert stats.get("downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError") >= 5


def test_endless_page_is_stopped_by_the_size_cap(site_under_fire):
    stderr = site_under_fire["backfill"].stderr
    assert "DownloadCancelledError" in str(site_under_fire["backfill_row"]["errors"])
    assert "larger than download warn size" in stderr or "warnsize" in stderr.lower(), stderr[-2000:]


def test_lying_charsets_and_content_types_archive_the_exact_record(site_under_fire):
    for aid in CHARSET:
        got, exp = site_under_fire["records_after_backfill"][aid], expected_records("base")[aid]
        for key in RECORD_KEYS:
            assert got[key] == exp[key], (aid, key)
        assert "Ã" not in got["body"] and "\ufeff" not in got["title"]


# --- the next run ------------------------------------------------------------------------------------

def test_next_run_retries_what_failed_and_ends_with_the_fault_free_archive(site_under_fire):
    """Crawl 2 archives what crawl 1 could not (FAILING, DEEP, the transfer history's N2, A1, U), and its
    only failures are its own faults': none of crawl 1's holes is left in its walk. The archive then holds
    every replica article as a fault-free backfill of the base replica archives it (its expected record),
    but for LEGIT_CHANGES: hostile pages (sanitized), the day-2 edit (the day-2 record, one version), the two
    articles whose URLs go off the site (never archived); and the gone marks are exactly crawl 2's."""
    run, row, db = site_under_fire["week_later"], site_under_fire["week_later_row"], site_under_fire["db"]
    assert run.returncode == 0, run
    assert row["outcome"] == "ok"
    assert row["new"] == len(FAILING | {DEEP, N2, A1, U}) == 17
    failed_urls = {e["url"] for e in row["errors"] if "url" in e and not e["reason"].startswith("conflict")}
    assert failed_urls == {url(aid) for aid in ARCHIVED_FAILING | {P1, P3}}
    assert row["failed"] == len(failed_urls) == 8
    # its holes are its own failed article fetches (a full walk's), each failing for the first time
    holes = next(e["walk_failed"] for e in row["errors"] if "walk_failed" in e)
    assert holes == {url(aid): 1 for aid in (203072, 202877, P3)}, holes
    assert not set(holes) & set(next(e["walk_failed"] for e in site_under_fire["backfill_row"]["errors"]
                                     if "walk_failed" in e))

    with Archive.open(db, migrate=False) as archive:
        for aid, exp in expected_records("base").items():
            got = archive.record(aid)
            if aid in (TO_INTERNAL, TO_OTHER_PORT):
                assert got is None, aid
            elif aid == EDITED:
                exp2 = expected_records("day2")[aid]
                assert all(got[k] == exp2[k] for k in RECORD_KEYS), aid
            elif aid not in LEGIT_CHANGES:
                assert got is not None, f"{aid} not archived"
                for key in RECORD_KEYS:
                    assert got[key] == exp[key], (aid, key)
    assert {r["article_id"] for r in db_rows(db, "SELECT article_id FROM article_versions")} == {EDITED}
    assert {r["id"] for r in db_rows(db, "SELECT id FROM articles WHERE gone_at IS NOT NULL")} == GONE_AFTER
    assert integrity(db) == ("ok", True)


# --- good archived copies under fire -----------------------------------------------------------------

def test_broken_refetches_never_overwrite_a_good_copy(site_under_fire):
    run, row = site_under_fire["week_later"], site_under_fire["week_later_row"]
    before = site_under_fire["records_after_backfill"]
    assert run.returncode == 0, run
    assert row["outcome"] == "ok"
    # in the recrawl window: asked again (each one, the failing ones RETRY_TIMES times more), though the run
    # completes a backfill that had fetched them
    asked = [p for _m, p, _s in site_under_fire["week_later_served"]]
    assert all(path_of(aid) in asked for aid in ARCHIVED)
    assert {aid: asked.count(path_of(aid)) for aid in ARCHIVED} == {
        aid: 4 if reason and reason.startswith("fetch") else 1 for aid, (_make, reason) in ARCHIVED.items()}
    versions = {r["article_id"] for r in db_rows(site_under_fire["db"], "SELECT article_id FROM article_versions")}
    for aid, (_make, reason) in ARCHIVED.items():
        # same content, no new version
        assert before[aid] is not None and record(site_under_fire["db"], aid) == before[aid], aid
        assert aid not in versions
        reasons = errors_for(row, url(aid))
        if reason is None:
            assert not reasons, (aid, reasons)
        else:
            assert len(reasons) == 1 and reasons[0].startswith(reason), (aid, reasons)
    # the run's one update is the day-2 edit (the broken answers updated nothing); its failures are the
    # ARCHIVED ones and the transfer history's P1 and P3
    assert row["updated"] == 1 and row["failed"] == len(ARCHIVED_FAILING) + 2
    # a broken 200 or an error status never marks an article gone either
    gone = {r["id"] for r in db_rows(site_under_fire["db"], "SELECT id FROM articles WHERE gone_at IS NOT NULL")}
    assert not set(ARCHIVED) & gone


def test_articles_redirected_away_are_marked_gone_not_lost(site_under_fire):
    """A redirect to a page the crawl fetches anyway (the home page, a listing) is still followed for an
    article request (Scrapy's duplicate filter dropped it: no answer, nothing counted or marked)."""
    db, row = site_under_fire["db"], site_under_fire["week_later_row"]
    gone = {r["id"] for r in db_rows(db, "SELECT id FROM articles WHERE gone_at IS NOT NULL")}
    assert gone - {DELETED} == set(REDIRECTED_AWAY)  # (DELETED: the day-2 deletion, a 404)
    assert row["gone"] == len(REDIRECTED_AWAY) + 1
    for aid in REDIRECTED_AWAY:  # content kept
        assert record(site_under_fire["db"], aid) == site_under_fire["records_after_backfill"][aid]


def test_broken_refetches_are_retried_by_the_next_run(site_under_fire):
    """What a broken refetch leaves does not stop the next run from asking again: read from the archive
    as crawl 2 left it, the plan of the run after it wants every ARCHIVED article (they are in its window),
    and the failed ones' good copies are still what it would compare against. (A refetch of an archived
    article that answers well again keeps the good copy: crawl 2's unchanged window articles, below.)"""
    db = site_under_fire["db"]
    view = ArchiveView.open(db)
    try:
        state = read_state(view)
        assert state.resume is not None  # crawl 2's failed fetches were holes in its full walk
        # the next run, an hour later, with the same window
        next_run = parse_iso(WEEK_LATER) + timedelta(hours=1)
        p = policy.plan(state, policy.Options(now=next_run, recrawl_days=float(RECRAWL_DAYS)))
        known = view.known(list(ARCHIVED))
        assert all(policy.wanted(p, aid, known[aid]) for aid in ARCHIVED)
        recent = {r["id"] for r in view.recent(policy.recrawl_since(p))}
    finally:
        view.close()
    assert set(ARCHIVED) <= recent
    # crawl 2's answers that were whole again kept the archived copy, unchanged and unversioned
    row = site_under_fire["week_later_row"]
    assert row["unchanged"] == 5  # 203033 (cut after its article), P2, B2, B3 (through A3), N1 (whole now)
    for aid in (203033, B2):
        assert record(site_under_fire["db"], aid) == site_under_fire["records_after_backfill"][aid]


# --- navigation pages under fire ---------------------------------------------------------------------

def test_broken_listings_sitemap_feed_and_robots_leave_no_article_behind(site_under_fire):
    """The run finishes "ok", the articles are archived through the other ways in (other listings,
    related links), the only ones missing being those whose own URL failed; the run's record says its walk
    had holes (how many pages), and the next run walks the listings to the end again."""
    first, row = site_under_fire["backfill"], site_under_fire["backfill_row"]
    second = site_under_fire["week_later"]
    assert first.returncode == 0, first
    assert row["outcome"] == "ok"
    # its failures are articles' own (test_faulty_run_finishes_ok_and_counts_every_failure): a navigation page
    # that fails is a hole in the walk, not a failed article
    assert row["failed"] == 16 and all(article_id(e["url"]) for e in row["errors"] if "url" in e), row["errors"]
    assert "walk incomplete" in first.summary
    assert site_under_fire["ids_after_backfill"] == set(expected_records("base")) - UNARCHIVED_AFTER_BACKFILL
    holes = [e["walk_incomplete"] for e in row["errors"] if "walk_incomplete" in e]
    assert holes and holes[0] >= 4, row["errors"]  # 2 listings x 503, 2 x redirect loop at least
    walk_failed = next(e["walk_failed"] for e in row["errors"] if "walk_failed" in e)
    assert any("/thoi-su" in u for u in walk_failed) and any("/van-hoa" in u for u in walk_failed)
    assert first.stats.get("ldtd/fetch_failed_reason/HTTP 503") and first.stats.get(
        "ldtd/fetch_failed_reason/RedirectLoopError")
    assert first.stats.get("ldtd/fetch_failed/feed"), "the dead feeds were not asked for"
    assert first.stats.get("ldtd/fetch_failed/robots") == 1 and not first.stats.get("ldtd/sitemaps_advertised")
    assert second.returncode == 0 and second.stats["ldtd/walk"] == "full", second


def test_holes_in_the_walk_do_not_hide_edits_and_deletions(site_under_fire):
    """Crawl 1 left holes: crawl 2 completes its unfinished work on top of its own incremental work, never
    instead of it: the edited and the deleted articles are seen by it, the recrawl window is refetched
    (test_broken_refetches_never_overwrite_a_good_copy) and articles redirected away are marked gone (a
    resumed backfill used to skip the recrawl window, the gone check and the lastmod check until the holes
    were filled; the lastmod check under a resume: tests/crawl/test_policy.py
    test_completing_a_backfill_adds_to_the_incremental_checks)."""
    db, run, row = site_under_fire["db"], site_under_fire["week_later"], site_under_fire["week_later_row"]
    assert run.returncode == 0, run
    exp = expected_records("day2")[EDITED]
    (got,) = db_rows(db, "SELECT sapo, body, updated_at FROM articles WHERE id = ?", [EDITED])
    assert (got["sapo"], got["updated_at"]) == (exp["sapo"], exp["updated_at"])
    assert got["body"] == exp["body"] != expected_records("base")[EDITED]["body"]
    assert EDITED in {r["article_id"] for r in db_rows(db, "SELECT article_id FROM article_versions")}
    (got,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [DELETED])
    assert got["gone_at"], f"{DELETED} not marked gone"
    assert row["updated"] == 1 and row["gone"] == 1 + len(REDIRECTED_AWAY), row
    # and the holes were filled on top: the run completed the backfill they left unfinished
    assert run.stats.get("ldtd/resumed_from") and run.stats.get("ldtd/completes") == "backfill", run
