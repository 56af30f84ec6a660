"""ldtd reparse: records rebuilt from the stored raw pages with the current parser, nothing fetched."""

from __future__ import annotations

import json
import sqlite3

import pytest

from .builders import SEED_ID, SEED_TITLE, build_archive_from_pages, replica_article_pages


@pytest.fixture
def page_archive(tmp_path):
    if not replica_article_pages():
        pytest.skip("the replica site is not generated")
    path = tmp_path / "archive.db"
    ids = build_archive_from_pages(path)
    return path, ids


def _row(path, article_id, cols="title, last_fetched_at, gone_at"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"select {cols} from articles where id = ?", [article_id]).fetchone()
    finally:
        conn.close()


def test_reparse_of_an_up_to_date_archive_changes_nothing(ldtd, page_archive):
    path, ids = page_archive
    result = ldtd("reparse", "--db", path)
    assert result.exit_code == 0, result.output
    assert f"Changed: 0, unchanged: {len(set(ids))}, failed: 0" in result.output
    assert "Reparsing" in result.output  # the progress bar's label


def test_reparse_restores_a_stale_record_and_keeps_the_old_one_as_a_version(ldtd, page_archive):
    path, ids = page_archive
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update articles set title = 'stale', content_hash = 'stale' where id = ?", [SEED_ID])
        conn.execute("update articles set gone_at = '2024-12-02T08:00:00+07:00' where id = ?", [ids[0]])
        conn.execute("update articles set content_hash = 'stale' where id = ?", [ids[0]])
    conn.close()
    dry = ldtd("reparse", "--dry-run", "--db", path)
    assert "Would change: 2" in dry.output and _row(path, SEED_ID)[0] == "stale"
    result = ldtd("reparse", "--db", path)
    assert result.exit_code == 0, result.output
    assert f"Changed: 2, unchanged: {len(set(ids)) - 2}, failed: 0" in result.output
    assert _row(path, SEED_ID)[0] == SEED_TITLE
    assert _row(path, ids[0])[2] == "2024-12-02T08:00:00+07:00"  # a gone article stays gone
    show = json.loads(ldtd("show", SEED_ID, "--json", "--db", path).output)
    assert len(show["versions"]) == 2
    diff = ldtd("show", SEED_ID, "--diff", "1", "2", "--db", path).output
    assert "-title: stale" in diff and f"+title: {SEED_TITLE}" in diff


def _bad_pages(ids):
    """Newer fetches of three articles that hold no article: cut off, a soft 404, and the home page
    stored under the article's URL with status 200 (a redirect to the home page)."""
    from scraper.replica.faults import SOFT_404_HTML

    from .builders import REPLICA_SITE

    pages = dict(replica_article_pages())
    urls = [next(u for u in pages if u.endswith(f"-{i}.html")) for i in ids[1:4]]
    home = (REPLICA_SITE / "base" / "listing" / "index.html").read_bytes()
    raw = pages[urls[0]]
    cut = raw.index(b"__MASTERCMS_CONTENT") + 200  # inside the article's text (one cut after it parses)
    return [(urls[0], raw[:cut]), (urls[1], SOFT_404_HTML), (urls[2], home)]


def test_reparse_uses_the_newest_page_that_parses_when_the_newest_is_bad(ldtd, page_archive, monkeypatch):
    """Each article's stored pages are tried newest first: a bad newest page (truncated, soft 404,
    redirect to home stored as 200) falls back to the earlier good one; a page without a body is skipped."""
    path, ids = page_archive
    from scraper.parsing.article import parse_article
    from scraper.storage import Archive

    pages = dict(replica_article_pages())
    with Archive.open(path) as archive:
        for url, body in _bad_pages(ids):
            archive.record_fetch(url, body, 200, {}, fetched_at="2024-12-03T08:00:00+07:00")
        # an unchanged refetch: storage keeps no body for it (page_body() is None)
        url = next(u for u in pages if u.endswith(f"-{ids[4]}.html"))
        refetch = archive.record_fetch(url, pages[url], 200, {}, fetched_at="2024-12-03T08:00:00+07:00")
        archive.save_article(parse_article(pages[url], url), fetched_at="2024-12-03T08:00:00+07:00", page_id=refetch)
        bodiless = archive.record_fetch(url, b"<html>not kept</html>", 200, {}, fetched_at="2024-12-04T08:00:00+07:00")
    real_page_body = Archive.page_body
    # and one that reads as bodiless whatever storage's columns (an archive of any schema version)
    monkeypatch.setattr(Archive, "page_body", lambda self, pid: None if pid == bodiless else real_page_body(self, pid))
    before = {i: _row(path, i, "title, body, content_hash") for i in ids[1:5]}
    result = ldtd("reparse", "--db", path)
    assert result.exit_code == 0, result.output
    assert f"Changed: 0, unchanged: {len(set(ids))}, failed: 0" in result.output
    for i in ids[1:5]:
        assert _row(path, i, "title, body, content_hash") == before[i]


def test_reparse_fails_an_article_only_when_none_of_its_pages_parses(ldtd, page_archive):
    path, ids = page_archive
    from scraper.storage import Archive

    bad_url, bad_body = _bad_pages(ids)[0]
    conn = sqlite3.connect(path)
    with conn:  # its only good fetch now reads as a failed one
        conn.execute("update pages set status = 500 where article_id = ?", [ids[1]])
    conn.close()
    with Archive.open(path) as archive:
        archive.record_fetch(bad_url, bad_body, 200, {}, fetched_at="2024-12-03T08:00:00+07:00")
        archive.record_fetch(bad_url, b"<html><body><p>cut off", 200, {}, fetched_at="2024-12-04T08:00:00+07:00")
    before = _row(path, ids[1], "title, body, content_hash")
    result = ldtd("reparse", "--db", path)
    assert result.exit_code == 1
    assert "failed: 1" in result.output and f"failed #{ids[1]}" in result.output
    assert "2 tried" in result.output
    assert _row(path, ids[1], "title, body, content_hash") == before  # the archived record is untouched


def test_reparse_is_logged_as_a_run_of_its_own(ldtd, page_archive):
    path, ids = page_archive
    assert ldtd("reparse", "--db", path).exit_code == 0
    conn = sqlite3.connect(path)
    try:
        runs = conn.execute("select mode, outcome, unchanged, summary from crawl_runs").fetchall()
    finally:
        conn.close()
    assert runs == [("reparse", "ok", len(set(ids)), f"reparse ok: Changed: 0, unchanged: {len(set(ids))}, failed: 0")]


def test_a_reparse_run_does_not_stand_for_a_crawl(page_archive):
    """The crawler plans its next run from its own runs only: a finished reparse is no complete crawl,
    and an unfinished crawl before it is still resumed."""
    from scraper.storage.archive import Archive
    from scraper.storage.runs import RunLog

    path, _ = page_archive
    archive = Archive.open(path)
    try:
        crawl = archive.start_run("backfill", {})  # killed: never finished
        reparse = archive.start_run("reparse", {})
        archive.finish_run(reparse, "ok")
        log = RunLog(archive.db)
        assert not log.has_complete_run()
        assert log.resume_point() is not None and log.resume_point().mode == "backfill"
        archive.finish_run(crawl, "ok")
        assert log.has_complete_run()
    finally:
        archive.close()
