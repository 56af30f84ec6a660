"""`ldtd stats`' counts read as little as they can (`scraper.storage.read`): per month summed from the days,
per category grouped by the bare column, failed fetches from two ranges of the status index; each equal to
what the shared views and a count of the rows say, on a real SQLite file with the odd values too (no
category, a category named "(none)", undated articles, pages without a status)."""

from __future__ import annotations

from scraper.storage import read

from .conftest import make_article

URL = "https://laodongthudo.vn/bai-{}.html"
ARTICLES = {  # id: (published_at, category)
    1001: ("2026-10-30T08:00:00+07:00", "Thời sự"),
    1002: ("2026-11-02T08:00:00+07:00", "Thời sự"),
    1003: ("2026-11-02T23:59:00+07:00", None),
    1004: (None, "Kinh tế"),
    1005: ("2026-11-05T00:00:00+07:00", "(none)"),
    1006: (None, None),
    1007: ("2025-01-31T23:00:00+07:00", "Kinh tế"),
}


def filled(archive):
    for aid, (published_at, category) in ARTICLES.items():
        archive.save_article(make_article(aid, url=URL.format(aid), published_at=published_at, category=category,
                                          related=[]), fetched_at="2026-11-20T10:00:00+07:00")
    for i, status in enumerate((200, 404, None, 500, 301, 410, None, 200)):
        archive.db["pages"].insert({"url": URL.format(2000 + i), "status": status,
                                    "fetched_at": "2026-11-20T10:00:00+07:00"})
    return archive.db


def test_months_and_categories_are_what_the_views_count(archive):
    db = filled(archive)
    months = [tuple(r) for r in db.execute("SELECT month, articles FROM articles_per_month"
                                           " WHERE month IS NOT NULL ORDER BY month DESC")]
    undated = db.execute("SELECT articles FROM articles_per_month WHERE month IS NULL").fetchone()[0]
    assert read.per_month(db) == months and len(months) == 3
    assert read.per_month(db, undated="(undated)") == months + [("(undated)", undated)] and undated == 2
    assert read.per_category(db) == [tuple(r) for r in db.execute(
        "SELECT category, articles FROM articles_per_category ORDER BY articles DESC, category")]
    assert dict(read.per_category(db))["(none)"] == 3  # no category, and one named so: one row, as in the view
    stats = read.stats(db, months=2)
    assert [(m["month"], m["articles"]) for m in stats["per_month"]] == months[:2]


def test_an_archive_without_undated_articles_lists_no_undated_month(archive):
    db = filled(archive)
    db.execute("UPDATE articles SET published_at = '2026-11-06T08:00:00+07:00' WHERE published_at IS NULL")
    db.conn.commit()
    assert read.per_month(db, undated="(undated)") == [("2026-11", 5), ("2026-10", 1), ("2025-01", 1)]


def test_failed_fetches_count_both_ranges_of_the_status_index(archive):
    db = filled(archive)
    assert read.stats(db)["health"]["failed_fetches"] == db.execute(
        "SELECT count(*) FROM pages WHERE status >= 400 OR status IS NULL").fetchone()[0] == 5

