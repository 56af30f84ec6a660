"""Fault modes of the replica (`scraper.replica.faults`) against real `ldtd crawl` runs.

Three histories, each a few real crawls in a subprocess (module-scoped, shared by the tests below,
which each state one fault's outcome):

- NEW: a backfill into an empty archive while 23 article pages misbehave. Transient faults (503 x2,
  500, 429 + Retry-After, one slow answer) clear on retry inside the run; charset tricks and a
  mislabelled content type still archive the exact record; permanent faults fail the article
  with its reason in `crawl_runs.errors`. The run finishes "ok" (exit 0) with the good pages
  archived. Then the faults clear and a plain incremental run (cron) archives every article that
  failed: the archive equals an uninterrupted, fault-free backfill.
- ARCHIVED: an archive holding good copies of everything is refetched (backfill) while seven of
  its articles answer truncated, empty, soft-404, PDF, dropped mid-body or 503 pages: no good
  copy is overwritten or versioned, each failure is logged; the next run refetches them (a page cut
  after its article, Content-Length matching, parses: the same text, so the good copy stays). Two more
  redirect to the home page and to a listing: they are marked gone (content kept).
- NAVIGATION: a backfill while listings answer 503 or loop, the sitemap is cut, feeds are broken or
  dead (404, advertised all the same) and robots.txt answers 500: every article still archived through
  the other ways in, the walk's holes recorded; a day later (day2) the next run walks again, and does its
  own incremental work (edits, deletions) on top.

Settings for the runs: DOWNLOAD_TIMEOUT=1 (the slow pages sleep 3 s), DOWNLOAD_MAXSIZE=1 MiB
and DOWNLOAD_WARNSIZE=256 KiB (the endless page), RETRY_TIMES=3 (the project's default).
"""

from __future__ import annotations

import json

import pytest

from scraper.replica import faults as F
from scraper.replica.server import SITE_DIR, ReplicaServer

from .conftest import (
    archive_content,
    copy_db,
    db_rows,
    errors_for,
    expected_records,
    integrity,
    last_run,
    path_of,
    run_crawl,
    snapshot_time,
)

LIMITS = {"DOWNLOAD_TIMEOUT": "1", "DOWNLOAD_MAXSIZE": str(1 << 20), "DOWNLOAD_WARNSIZE": str(256 << 10)}
LOOP_VIA = "/kiem-tra-trinh-duyet&return=1"  # a "browser check" page that sends you back

# article id -> (fault, expected reason in crawl_runs.errors, or None when the article is archived in the run)
NEW = {
    184528: (F.status(503, times=2), None),
    184530: (F.status(500, times=1), None),
    184545: (F.too_many(retry_after=2), None),
    184660: (F.slow(3, times=1), None),
    184566: (F.status(503), "fetch: HTTP 503"),
    202750: (F.too_many(retry_after=600), "fetch: HTTP 429"),  # longer than LDTD_RETRY_AFTER_MAX: left for the next run
    184571: (F.slow(3), "fetch: DownloadTimeoutError"),
    184589: (F.drop(0.5), "fetch: ResponseDataLossError"),
    184598: (F.truncate(0.37), "parse TruncatedPage"),  # cut inside the article's text
    184605: (F.endless(), "fetch: DownloadCancelledError"),
    184612: (F.redirect_loop(), "fetch: RedirectLoopError"),
    184690: (F.redirect_loop(to=LOOP_VIA), "fetch: RedirectLoopError"),
    # two articles redirecting to each other: each redirect targets a URL the crawl requests anyway
    202701: (F.redirect_loop(to=path_of(202722)), "fetch: RedirectLoopError"),
    202722: (F.redirect_loop(to=path_of(202701)), "fetch: RedirectLoopError"),
    184650: (F.soft_404(), "parse NotAnArticle: soft 404"),
    184662: (F.content_type("application/pdf", F.PDF_BYTES), "parse NotAnArticle: not an HTML page"),
    184695: (F.empty(), "parse NotAnArticle"),
    # charsets and content types that lie: the exact record anyway
    184670: (F.charset("text/html; charset=windows-1252"), None),
    202610: (F.charset("text/html; charset=windows-1252", strip_meta=True), None),
    184688: (F.charset("text/html; charset=utf-8", meta="windows-1252"), None),
    184693: (F.charset(None, strip_meta=True), None),
    202594: (F.charset("text/html", bom=True, strip_meta=True), None),
    202655: (F.content_type("application/octet-stream"), None),
}
FAILING = {aid for aid, (_f, reason) in NEW.items() if reason}

# archived articles refetched while broken: none may replace or version the good copy
ARCHIVED = {
    202985: (F.truncate(0.425), "parse TruncatedPage"),  # cut inside the article's text
    # cut after the article, before the page ends, Content-Length matching: the article is whole (it
    # parses, with a warning) and its text the archived one's: the good copy is kept, nothing fails
    203033: (F.truncate(0.97), None),
    202999: (F.empty(), "parse NotAnArticle"),
    203010: (F.soft_404(), "parse NotAnArticle: soft 404"),
    203020: (F.content_type("image/jpeg", F.JPEG_BYTES), "parse NotAnArticle: not an HTML page"),
    203050: (F.drop(0.8), "fetch: ResponseDataLossError"),
    203072: (F.status(503), "fetch: HTTP 503"),
}
# archived articles redirected away from any article (to the home page, to a listing): marked gone
REDIRECTED_AWAY = {202962: F.redirect_loop(to="/"), 202940: F.redirect_loop(to="/kinh-te")}

def content_only(content: dict) -> dict:
    """archive_content without the gone marks."""
    return {**content, "articles": [{k: v for k, v in a.items() if k != "gone"} for a in content["articles"]]}


RECORD_KEYS = ("url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at", "category",
               "tags", "images", "related")


@pytest.fixture(scope="module")
def new_history(tmp_path_factory):
    d = tmp_path_factory.mktemp("faults-new")
    db = d / "archive.db"
    plan = {path_of(aid): spec for aid, (spec, _r) in NEW.items()}
    plan[LOOP_VIA] = F.redirect_loop(to=path_of(184690))
    with ReplicaServer("base", faults=plan) as srv:
        first = run_crawl(db, srv.base_url, "--backfill", stats_dir=d, name="faulty", settings=LIMITS)
        first_row = last_run(db)
        first_articles = {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
        hits = {aid: NEW[aid][0].hits for aid in NEW}
        srv.clear_faults()
        second = run_crawl(db, srv.base_url, stats_dir=d, name="healed", settings=LIMITS)
        second_row = last_run(db)
    return {"db": db, "first": first, "first_row": first_row, "first_articles": first_articles, "hits": hits,
            "second": second, "second_row": second_row}


@pytest.fixture(scope="module")
def archived_history(tmp_path_factory, reference_db):
    d = tmp_path_factory.mktemp("faults-archived")
    db = copy_db(reference_db, d / "archive.db")
    before = archive_content(db)
    plan = {path_of(aid): spec for aid, (spec, _r) in ARCHIVED.items()}
    plan.update({path_of(aid): spec for aid, spec in REDIRECTED_AWAY.items()})
    with ReplicaServer("base", faults=plan) as srv:
        first = run_crawl(db, srv.base_url, "--backfill", stats_dir=d, name="faulty", settings=LIMITS)
        first_row = last_run(db)
        after_faults = archive_content(db)
        gone = {r["id"] for r in db_rows(db, "SELECT id FROM articles WHERE gone_at IS NOT NULL")}
        srv.clear_faults()
        second = run_crawl(db, srv.base_url, stats_dir=d, name="healed", settings=LIMITS)
        second_row = last_run(db)
    return {"db": db, "before": before, "after_faults": after_faults, "gone": gone, "first": first, "first_row": first_row,
            "second": second, "second_row": second_row}


# --- the faulty run as a whole ---------------------------------------------------------------------

def test_faulty_run_finishes_ok_and_counts_every_failure(new_history):
    run, row = new_history["first"], new_history["first_row"]
    assert run.returncode == 0, run
    assert row["outcome"] == "ok" and row["finished_at"]
    assert row["failed"] == len(FAILING), row["errors"]
    failed_urls = {e["url"] for e in row["errors"] if "url" in e}
    assert failed_urls == {expected_records("base")[aid]["url"] for aid in FAILING}
    assert f"{len(FAILING)} failed" in run.summary


def test_good_pages_are_archived_in_the_faulty_run(new_history):
    got = new_history["first_articles"]
    assert got == set(expected_records("base")) - FAILING


@pytest.mark.parametrize("aid", sorted(FAILING))
def test_each_failure_is_logged_with_its_reason(new_history, aid):
    url = expected_records("base")[aid]["url"]
    reasons = errors_for(new_history["first_row"], url)
    assert len(reasons) == 1 and reasons[0].startswith(NEW[aid][1]), reasons


def test_transient_5xx_clear_on_retry(new_history):
    hits = new_history["hits"]
    assert hits[184528] == 2 and hits[184530] == 1  # the 503s and the 500 were really served
    assert {184528, 184530} <= new_history["first_articles"]
    assert new_history["first"].stats.get("retry/count", 0) >= 3


def test_429_retry_after_is_waited_for(new_history):
    spec = NEW[184545][0]
    assert spec.hits >= 1 and spec.early == 0, f"{spec.early} retries came before Retry-After had passed"
    assert 184545 in new_history["first_articles"]
    assert new_history["first"].stats.get("ldtd/retry_after/waits", 0) >= 1
    # a Retry-After beyond LDTD_RETRY_AFTER_MAX (120 s) is not waited for: one request, then the next run
    assert NEW[202750][0].hits == 1 and new_history["first"].stats.get("ldtd/retry_after/too_long") == 1


def test_one_timeout_clears_on_retry_a_permanent_one_fails(new_history):
    assert 184660 in new_history["first_articles"]
    assert NEW[184571][0].hits == 4  # the first try and RETRY_TIMES=3 retries, each timed out
    assert new_history["first"].stats.get("downloader/exception_type_count/scrapy.exceptions.DownloadTimeoutError") >= 5


def test_endless_page_is_stopped_by_the_size_cap(new_history):
    stderr = new_history["first"].stderr
    assert "DownloadCancelledError" in str(new_history["first_row"]["errors"])
    assert "larger than download warn size" in stderr or "warnsize" in stderr.lower(), stderr[-2000:]


def test_lying_charsets_and_content_types_archive_the_exact_record(new_history):
    from scraper.storage.archive import Archive

    with Archive.open(new_history["db"]) as archive:
        for aid in (184670, 202610, 184688, 184693, 202594, 202655):
            got, exp = archive.record(aid), expected_records("base")[aid]
            for key in RECORD_KEYS:
                assert got[key] == exp[key], (aid, key)
            assert "Ã" not in got["body"] and "\ufeff" not in got["title"]


# --- the next run ------------------------------------------------------------------------------------

def test_next_run_retries_what_failed_and_ends_with_the_fault_free_archive(new_history, reference_db):
    run, row = new_history["second"], new_history["second_row"]
    assert run.returncode == 0, run
    assert row["outcome"] == "ok" and row["failed"] == 0, row["errors"]
    assert row["new"] == len(FAILING)
    assert not [e for e in row["errors"] if "walk_incomplete" in e]  # healed: no hole left in its walk
    assert archive_content(new_history["db"]) == archive_content(reference_db)
    assert integrity(new_history["db"]) == ("ok", True)


# --- good archived copies under fire -----------------------------------------------------------------

def test_broken_refetches_never_overwrite_a_good_copy(archived_history):
    run, row = archived_history["first"], archived_history["first_row"]
    assert run.returncode == 0, run
    assert row["outcome"] == "ok"
    # same content, no new versions (the articles redirected away are the next test's)
    assert content_only(archived_history["after_faults"]) == content_only(archived_history["before"])
    assert row["updated"] == 0 and row["failed"] == len([a for a, (_s, reason) in ARCHIVED.items() if reason])
    for aid, (_spec, reason) in ARCHIVED.items():
        reasons = errors_for(row, expected_records("base")[aid]["url"])
        if reason is None:
            assert not reasons, (aid, reasons)
        else:
            assert len(reasons) == 1 and reasons[0].startswith(reason), (aid, reasons)
    # a broken 200 or an error status never marks an article gone either
    assert not set(ARCHIVED) & archived_history["gone"]


def test_articles_redirected_away_are_marked_gone_not_lost(archived_history):
    """A redirect to a page the crawl fetches anyway (the home page, a listing) is still followed for an
    article request (Scrapy's duplicate filter dropped it: no answer, nothing counted or marked)."""
    assert archived_history["gone"] == set(REDIRECTED_AWAY)
    assert archived_history["first_row"]["gone"] == len(REDIRECTED_AWAY)


def test_broken_refetches_are_retried_by_the_next_run(archived_history):
    run, row = archived_history["second"], archived_history["second_row"]
    assert run.returncode == 0, run
    assert row["failed"] == 0, row["errors"]
    refetched = {r["article_id"] for r in db_rows(
        archived_history["db"], "SELECT article_id FROM pages WHERE run_id = ? AND status = 200", [row["id"]])}
    assert set(ARCHIVED) <= refetched  # all in the recrawl window: the incremental run asked again
    assert content_only(archive_content(archived_history["db"])) == content_only(archived_history["before"])
    assert integrity(archived_history["db"]) == ("ok", True)


# --- navigation pages under fire ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def navigation_history(tmp_path_factory):
    """A backfill while the navigation misbehaves: every /thoi-su listing answers 503, every /van-hoa
    listing loops, the sitemap index is cut off, a feed is broken XML, the other feeds answer 404 (dead
    links the site keeps advertising), robots.txt answers 500. Then, a day later (day2: new, edited,
    deleted articles), a plain run with the listings back and the feeds still dead."""
    d = tmp_path_factory.mktemp("faults-navigation")
    db = d / "archive.db"
    plan = {"re:^/thoi-su": F.status(503), "re:^/van-hoa": F.redirect_loop(), "/sitemap.xml": F.truncate(0.5),
            "re:^/rss_feed/kinh-te": F.content_type("text/xml", b"<rss><channel><item><link>"),
            "re:^/rss": F.status(404), "/robots.txt": F.status(500)}
    with ReplicaServer("base", faults=plan) as srv:
        first = run_crawl(db, srv.base_url, "--backfill", stats_dir=d, name="faulty")
        row = last_run(db)
        ids = {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
        for key in ("re:^/thoi-su", "re:^/van-hoa", "/sitemap.xml", "/robots.txt"):
            srv.remove_fault(key)
        srv.set_state("day2")
        second = run_crawl(db, srv.base_url, stats_dir=d, name="day2", now=snapshot_time("day2"))
    return {"db": db, "first": first, "first_row": row, "first_ids": ids, "second": second}


def test_broken_listings_sitemap_feed_and_robots_leave_no_article_behind(navigation_history):
    """The run finishes "ok", the articles are archived through the other ways in (other listings,
    sitemaps, feeds, related links), the run's record says its walk had holes (how many pages), and the
    next run walks the listings to the end again."""
    first, row, second = navigation_history["first"], navigation_history["first_row"], navigation_history["second"]
    assert first.returncode == 0, first
    assert row["outcome"] == "ok" and row["failed"] == 0
    assert "walk incomplete" in first.summary
    assert navigation_history["first_ids"] == set(expected_records("base"))
    holes = [e["walk_incomplete"] for e in row["errors"] if "walk_incomplete" in e]
    assert holes and holes[0] >= 4, row["errors"]  # 2 listings x 503, 2 x redirect loop at least
    assert first.stats.get("ldtd/fetch_failed_reason/HTTP 503") and first.stats.get(
        "ldtd/fetch_failed_reason/RedirectLoopError")
    assert first.stats.get("ldtd/fetch_failed/feed"), "the dead feeds were not asked for"
    assert second.returncode == 0 and second.stats["ldtd/walk"] == "full", second


def test_holes_in_the_walk_do_not_hide_edits_and_deletions(navigation_history):
    """Feed links the site advertises but answers 404 for: every run leaves holes in its walk. The run
    after one with holes completes its unfinished work on top of its own incremental work, never instead
    of it: a day later, the edited and the deleted articles are seen by the first run (a resumed backfill
    used to skip the recrawl window, the gone check and the lastmod check until the dead feeds were given
    up)."""
    changes = json.loads((SITE_DIR / "day2" / "changes.json").read_text(encoding="utf-8"))
    edited, deleted = set(changes["edited"]), set(changes["deleted"])
    db, day2 = navigation_history["db"], navigation_history["second"]
    assert day2.returncode == 0, day2
    expected = expected_records("day2")
    for aid in edited:
        (got,) = db_rows(db, "SELECT sapo, body, updated_at FROM articles WHERE id = ?", [aid])
        assert (got["sapo"], got["updated_at"]) == (expected[aid]["sapo"], expected[aid]["updated_at"]), aid
        assert got["body"] == expected[aid]["body"], aid
    assert {r["article_id"] for r in db_rows(db, "SELECT article_id FROM article_versions")} >= edited
    for aid in deleted:
        (got,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [aid])
        assert got["gone_at"], f"{aid} not marked gone"
    (rec,) = db_rows(db, "SELECT updated, gone FROM crawl_runs WHERE id = 2")
    assert rec["updated"] >= len(edited) and rec["gone"] == len(deleted), rec
    # and the holes were filled on top: the run completed the backfill they left unfinished
    assert day2.stats.get("ldtd/resumed_from") and day2.stats.get("ldtd/completes") == "backfill", day2
