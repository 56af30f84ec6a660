"""The day2 state ("a day later": new articles on top, two edited, one deleted, one redirected):
the default incremental run fetches what changed, at a fraction of a backfill's requests. (The
history: `histories.day2_history`.)"""

from __future__ import annotations

import json

from scraper.replica.server import SITE_DIR
from scraper.storage.archive import Archive

from .conftest import db_rows, expected_records
from .histories import GONE, RENAMED

FIELDS = ("url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at", "category",
          "category_url", "tags", "images", "related")


def _path(url: str) -> str:
    return url[len("https://laodongthudo.vn"):]


def _same(got, exp):
    return {k: (got or {}).get(k) for k in FIELDS} == {k: exp[k] for k in FIELDS}


def test_day2_incremental_run(day2_history):
    history = day2_history
    changes = json.loads((SITE_DIR / "day2" / "changes.json").read_text(encoding="utf-8"))
    new, edited, deleted = set(changes["new"]), set(changes["edited"]), set(changes["deleted"])
    redirected = {int(k): v for k, v in changes["redirected"].items()}
    assert new and edited and deleted and redirected and RENAMED in redirected

    db, run, served = history["db"], history["day2"], history["day2_served"]
    assert run.returncode == 0, run
    paths = [p for _m, p, _s in served]
    assert run.stats["ldtd/walk"] == "incremental"

    base, day2 = expected_records("base"), expected_records("day2")
    with Archive.open(db, migrate=False) as archive:
        # every article of the day2 site as the site now shows it
        for aid, exp in day2.items():
            assert _same(archive.record(aid), exp), f"article {aid} differs from day2"
        # the deleted one: marked gone, its archived content kept
        for aid in deleted:
            (row,) = db_rows(db, "SELECT gone_at FROM articles WHERE id = ?", [aid])
            assert row["gone_at"], f"{aid} not marked gone"
            assert _same(archive.record(aid), base[aid])
    # versions: the earlier state of each edited article (and of the renamed one, whose URL changed)
    versions = history["versions_after_day2"]
    assert {v["article_id"] for v in versions} == edited | set(redirected)
    for v in versions:
        assert v["url"] == base[v["article_id"]]["url"] and v["title"] == base[v["article_id"]]["title"]

    # the new and the edited were fetched; the run record says so
    for aid in new | edited:
        assert any(p.endswith(f"-{aid}.html") or p.endswith(f"-{aid}.media") for p in paths), aid
    (rec,) = db_rows(db, "SELECT * FROM crawl_runs WHERE id = 2")
    assert rec["mode"] == "incremental" and rec["outcome"] == "ok"
    # (the renamed article's archived URL answered 404: counted gone too when that answer came before
    # the new URL's, which then cleared the mark)
    old, renamed = _path(base[RENAMED]["url"]), _path(day2[RENAMED]["url"])
    first_404 = served.index(("GET", old, 404)) < served.index(("GET", renamed, 200))
    assert rec["new"] == len(new) and rec["gone"] == len(deleted) + first_404
    assert rec["updated"] == len(edited) + len(redirected)
    assert rec["requests"] == len(served)

    # far fewer requests than a backfill: cost follows what is new, not the archive's size
    assert len(served) * 2 < history["backfill_requests"], (len(served), history["backfill_requests"])


def test_renamed_article_whose_old_url_404s_is_fetched_under_its_new_url(day2_history):
    """The CMS renamed an article in the recrawl window without a redirect: the archived URL answers
    404, the listings link the new one. The new URL is fetched and the record moves to it; the next runs
    keep it (its archived URL is the new one now)."""
    old, new = expected_records("base")[RENAMED]["url"], expected_records("day2")[RENAMED]["url"]
    assert old != new
    assert ("GET", _path(old), 404) in day2_history["day2_served"]  # asked for (the window), answered 404
    assert ("GET", _path(new), 200) in day2_history["day2_served"]
    for name in ("day2", "again", "later"):
        assert day2_history[name].returncode == 0, day2_history[name]
    (row,) = db_rows(day2_history["db"], "SELECT url, gone_at FROM articles WHERE id = ?", [RENAMED])
    assert row == {"url": new, "gone_at": None}


def test_a_second_run_the_same_day_changes_nothing(day2_history):
    """Nothing changed on the site but one article's 404 hiccup (test_recheck's GONE): no new article, no
    edit, no new version; the one gone mark is that 404's."""
    (rec,) = db_rows(day2_history["db"], "SELECT * FROM crawl_runs WHERE id = 3")
    assert (rec["new"], rec["updated"], rec["gone"], rec["failed"]) == (0, 0, 1, 0)
    assert ("GET", _path(expected_records("day2")[GONE]["url"]), 404) in day2_history["again_served"]
    assert day2_history["again"].stats["ldtd/walk"] == "incremental"
    assert len(db_rows(day2_history["db"], "SELECT id FROM article_versions")) == len(day2_history["versions_after_day2"])


def test_a_gone_article_no_longer_linked_and_out_of_the_window_is_left_alone(day2_history):
    """The recheck costs nothing for the deleted: a gone article nothing links and the window has left
    behind is not requested again."""
    changes = json.loads((SITE_DIR / "day2" / "changes.json").read_text(encoding="utf-8"))
    for aid in changes["deleted"]:
        path = _path(expected_records("base")[aid]["url"])
        assert not [r for r in day2_history["later_served"] if r[1] == path]
        assert db_rows(day2_history["db"], "SELECT gone_at FROM articles WHERE id = ?", [aid])[0]["gone_at"]
