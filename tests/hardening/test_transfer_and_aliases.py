"""Cut transfers, body fragments and pages that say they are another article, through real `ldtd crawl`s:
the history `tests.crawl.site_under_fire` (two crawls of the base replica into a new archive; its
docstring lists everything each meets), the parts below.

1. a backfill while the site misbehaves on a few articles no run has archived yet:
   - N1 is sent without Content-Length and the connection closed after its article, before the page's
     end (Scrapy flags it "partial"): no whole copy exists, so the record is archived (its text is whole),
     marked as a cut transfer;
   - N2 is sent the same way but cut inside its article: TruncatedPage, nothing archived;
   - A1's URL serves B1's page (its canonical link and og:url name B1) while B1's own URL answers 503:
     the page is archived as B1, the A1-to-B1 alias recorded, A1 neither archived nor marked gone;
   - U's URL serves its article's body alone (a fragment, as a CMS stores it): it parses, but the
     crawler archives no record without a title.
2. an incremental run (DOWNLOAD_FAIL_ON_DATALOSS off) a week later while the site misbehaves on archived
   articles in its recrawl window:
   - P1 cut after its article without Content-Length: the whole copy is kept ("incomplete");
   - P2 whole, without Content-Length: archived as usual;
   - P3 loses its connection mid-body (Content-Length sent): Scrapy flags the response "dataloss"
     instead of failing it (the setting is off), and the request fails all the same;
   - A2's URL serves B2's page as it is a day later (other text): a conflict in the run's record,
     nothing written, A2 not marked gone;
   - A3's URL serves B3's page (the archived text): stored as B3 (unchanged), A3 untouched;
   - N1, outside the recrawl window, is fetched again (a cut transfer is refetched until a whole copy
     comes) and is whole now; N2, A1 and U are archived.
"""

from __future__ import annotations

import pytest

from scraper.parsing.errors import OPEN_END_WARNING
from scraper.storage.archive import CUT_TRANSFER_WARNING
from tests.crawl.site_under_fire import A1, A2, A3, B1, B2, B3, N1, N2, P1, P2, P3, U, record, window_start

from .conftest import db_rows, errors_for, expected_records

TEXT = ("title", "sapo", "body", "body_html", "author", "published_at", "category")


@pytest.fixture(scope="module")
def history(site_under_fire):
    """The site-under-fire history as this file's tests read it."""
    h = site_under_fire
    return {"db": h["db"], "first": h["backfill"], "first_row": h["backfill_row"],
            "after_first": h["records_after_backfill"], "second": h["week_later"], "second_row": h["week_later_row"],
            "hits": {"P2": h["week_later_hits"][P2], "P3": h["week_later_hits"][P3]}}


def url(aid: int) -> str:
    return expected_records("base")[aid]["url"]


def same_text(got: dict | None, aid: int) -> bool:
    exp = expected_records("base")[aid]
    return got is not None and all(got[k] == exp[k] for k in TEXT)


# --- the first run: nothing archived yet -------------------------------------------------------------

def test_first_run_finishes_ok(history):
    assert history["first"].returncode == 0, history["first"]
    assert history["first_row"]["outcome"] == "ok"


def test_page_cut_after_its_article_without_a_whole_copy_is_archived_and_marked(history):
    got = history["after_first"][N1]
    assert same_text(got, N1)
    assert {OPEN_END_WARNING, CUT_TRANSFER_WARNING} <= set(got["extraction"]["warnings"])
    assert not errors_for(history["first_row"], url(N1))


def test_page_cut_inside_its_article_is_not_archived(history):
    assert history["after_first"][N2] is None
    assert [r.split(":")[0] for r in errors_for(history["first_row"], url(N2))] == ["parse TruncatedPage"]


def test_page_naming_another_new_article_is_archived_as_it(history):
    after = history["after_first"]
    assert after[A1] is None  # the requested article: neither overwritten nor marked gone
    assert same_text(after[B1], B1) and after[B1]["url"] == url(B1)
    assert db_rows(history["db"], "SELECT url, requested_id, article_id FROM aliases WHERE requested_id = ?",
                   [A1]) == [{"url": url(A1), "requested_id": A1, "article_id": B1}]
    assert not errors_for(history["first_row"], url(A1))


def test_a_body_fragment_parses_but_is_never_archived_without_a_title(history):
    assert history["after_first"][U] is None
    reasons = errors_for(history["first_row"], url(U))
    assert len(reasons) == 1 and reasons[0].startswith("parse Untitled"), reasons
    assert history["first"].stats.get("ldtd/untitled") == 1
    assert "not archived" in history["first"].stderr and "has no title" in history["first"].stderr


# --- the second run: good copies archived --------------------------------------------------------------

def test_second_run_finishes_ok(history):
    assert history["second"].returncode == 0, history["second"]
    assert history["second_row"]["outcome"] == "ok"


def test_cut_transfer_never_replaces_a_whole_copy(history):
    assert record(history["db"], P1) == history["after_first"][P1]
    reasons = errors_for(history["second_row"], url(P1))
    assert len(reasons) == 1 and reasons[0].startswith("incomplete"), reasons


def test_whole_page_without_content_length_is_archived_as_usual(history):
    assert history["hits"]["P2"] >= 1
    assert not errors_for(history["second_row"], url(P2))
    assert same_text(record(history["db"], P2), P2)


def test_response_flagged_dataloss_still_fails(history):
    assert history["hits"]["P3"] == 4  # the first try and RETRY_TIMES=3 retries
    assert record(history["db"], P3) == history["after_first"][P3]
    assert errors_for(history["second_row"], url(P3)) == ["fetch: ResponseDataLossError"]


def test_page_naming_an_archived_article_with_other_text_is_a_conflict(history):
    db = history["db"]
    assert record(db, B2) == history["after_first"][B2]  # the archived text, not the page's
    assert record(db, A2) == history["after_first"][A2]
    assert db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [A2]) == [{"gone_at": None}]
    reasons = errors_for(history["second_row"], url(A2))
    assert len(reasons) == 1 and reasons[0].startswith(f"conflict: the page says it is article {B2}"), reasons
    assert "1 conflicting" in history["second"].summary
    assert db_rows(db, "SELECT article_id FROM aliases WHERE requested_id = ?", [A2]) == [{"article_id": B2}]


def test_page_naming_an_archived_article_with_the_same_text_is_stored_as_it(history):
    db = history["db"]
    assert record(db, A3) == history["after_first"][A3]
    assert db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [A3]) == [{"gone_at": None}]
    assert same_text(record(db, B3), B3)
    assert not errors_for(history["second_row"], url(A3))
    assert db_rows(db, "SELECT article_id FROM aliases WHERE requested_id = ?", [A3]) == [{"article_id": B3}]


def test_cut_transfer_is_refetched_until_a_whole_copy_comes(history):
    # (N1 is older than crawl 2's recrawl window: only its cut transfer has it asked for again)
    assert expected_records("base")[N1]["published_at"] < window_start() <= expected_records("base")[P1]["published_at"]
    db, run_id = history["db"], history["second_row"]["id"]
    assert db_rows(db, "SELECT count(*) AS n FROM pages WHERE run_id = ? AND article_id = ?", [run_id, N1]) == [{"n": 1}]
    got = record(db, N1)
    assert same_text(got, N1) and got["tags"] == expected_records("base")[N1]["tags"]
    assert CUT_TRANSFER_WARNING not in got["extraction"]["warnings"]


def test_what_failed_in_the_first_run_is_archived_by_the_second(history):
    for aid in (N2, A1, U):
        assert same_text(record(history["db"], aid), aid), aid
