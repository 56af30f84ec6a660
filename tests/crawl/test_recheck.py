"""Articles are not lost to one bad answer: a transient 404 (gone) is rechecked, and an article
renamed without a redirect (its archived URL now 404s) is fetched under the URL the site links."""

from __future__ import annotations

from scraper.replica import faults as F

from .conftest import db_rows, expected_records, snapshot_time

LATER = "2026-12-30T18:00:00+07:00"  # a month on: nothing of the replica is in the recrawl window


def _path(aid: int, state: str = "base") -> str:
    return expected_records(state)[aid]["url"][len("https://laodongthudo.vn"):]


def _gone(db, aid):
    (row,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [aid])
    return row["gone_at"]


def test_a_transient_404_is_rechecked_in_the_window_and_when_linked_again(replica, crawl, tmp_path):
    aid, path = 203050, _path(203050)
    db = tmp_path / "a.db"
    now = snapshot_time("base")
    assert crawl(db, replica.base_url, now=now).returncode == 0

    # one 404 (a CMS hiccup): marked gone
    replica.add_fault(path, F.status(404, times=1))
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    assert _gone(db, aid)

    # in the recrawl window: asked again by the next run, answers 200, no longer gone
    start = len(replica.requests)
    run = crawl(db, replica.base_url, now=now)
    assert run.returncode == 0, run
    assert ("GET", path, 200) in replica.requests[start:]
    assert _gone(db, aid) is None

    # gone again, and a month later (out of the window): the listings still link it, so it is rechecked
    replica.add_fault(path, F.status(404, times=1))
    assert crawl(db, replica.base_url, now=now).returncode == 0
    assert _gone(db, aid)
    start = len(replica.requests)
    run = crawl(db, replica.base_url, now=LATER)
    assert run.returncode == 0, run
    assert ("GET", path, 200) in replica.requests[start:]
    assert _gone(db, aid) is None
    # its content never changed: no version was recorded by the 404s and rechecks
    assert not db_rows(db, "SELECT id FROM article_versions WHERE article_id = ?", [aid])


def test_a_gone_article_no_longer_linked_and_out_of_the_window_is_left_alone(replica, crawl, tmp_path):
    """The recheck costs nothing for the deleted: a gone article nothing links and the window has
    left behind is not requested again."""
    aid, path = 203010, _path(203010)
    db = tmp_path / "a.db"
    assert crawl(db, replica.base_url, now=snapshot_time("base")).returncode == 0
    replica.set_state("day2")  # 203010 deleted (404)
    assert crawl(db, replica.base_url, now=snapshot_time("day2")).returncode == 0
    assert _gone(db, aid)
    start = len(replica.requests)
    run = crawl(db, replica.base_url, now=LATER)
    assert run.returncode == 0, run
    assert not [r for r in replica.requests[start:] if r[1] == path]
    assert _gone(db, aid)


def test_renamed_article_whose_old_url_404s_is_fetched_under_its_new_url(replica, crawl, tmp_path):
    """The CMS renamed an article in the recrawl window without a redirect: the archived URL answers
    404, the listings link the new one. The new URL is fetched and the record moves to it."""
    aid = 202962
    old = _path(aid, "base")
    new = _path(aid, "day2")
    assert old != new
    db = tmp_path / "a.db"
    assert crawl(db, replica.base_url, now=snapshot_time("base")).returncode == 0
    replica.set_state("day2")
    replica.add_fault(old, F.status(404))
    start = len(replica.requests)
    run = crawl(db, replica.base_url, "--recrawl-days", "5", now=snapshot_time("day2"))
    assert run.returncode == 0, run
    served = replica.requests[start:]
    assert ("GET", new, 200) in served, [r for r in served if str(aid) in r[1]]
    (row,) = db_rows(db, "SELECT url, gone_at FROM articles WHERE id = ?", [aid])
    assert row == {"url": "https://laodongthudo.vn" + new, "gone_at": None}

    # and the next runs keep it (its archived URL is the new one now)
    run = crawl(db, replica.base_url, "--recrawl-days", "5", now=snapshot_time("day2"))
    assert run.returncode == 0, run
    (row,) = db_rows(db, "SELECT url, gone_at FROM articles WHERE id = ?", [aid])
    assert row == {"url": "https://laodongthudo.vn" + new, "gone_at": None}
