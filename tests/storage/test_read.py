"""storage.read: what the CLI and Datasette read, and the views (migration 0008) that define the shared
counts once, checked against what the stored records themselves say."""

from collections import Counter

from scraper.parsing.model import RelatedLink
from scraper.storage import Archive, read
from scraper.storage.migrations import VIEWS_0008

from .conftest import make_article, old_archive

T1, T2, T3 = "2026-11-20T10:00:00+07:00", "2026-11-21T10:00:00+07:00", "2026-11-22T10:00:00+07:00"
URL = "https://laodongthudo.vn/bai-{}.html"
DATED = {  # id: (published_at, category)
    1001: ("2026-10-30T08:00:00+07:00", "Thời sự"),
    1002: ("2026-11-02T08:00:00+07:00", "Thời sự"),
    1003: ("2026-11-02T23:59:00+07:00", None),
    1004: (None, "Kinh tế"),
    1005: ("2026-11-05T00:00:00+07:00", "Kinh tế"),
}


def fill(archive):
    for aid, (published_at, category) in DATED.items():
        archive.save_article(make_article(aid, url=URL.format(aid), published_at=published_at, category=category,
                                          related=[]), fetched_at=T1)


def test_counts_per_day_month_and_category_are_those_of_the_records(archive):
    fill(archive)
    records = [archive.record(aid) for aid in DATED]
    days = Counter(r["published_at"][:10] for r in records if r["published_at"])
    assert read.per_day(archive.db) == sorted(days.items())
    months = Counter(r["published_at"][:7] for r in records if r["published_at"])
    assert read.per_month(archive.db) == sorted(months.items(), reverse=True)
    assert read.per_month(archive.db, undated="(undated)")[-1] == ("(undated)", 1)
    categories = Counter(r["category"] or "(none)" for r in records)
    assert read.per_category(archive.db) == sorted(categories.items(), key=lambda c: (-c[1], c[0]))
    stats = read.stats(archive.db)
    assert stats["articles"] == len(DATED) and stats["id_range"] == [1001, 1005] and stats["ids_never_seen"] == 0
    # days without an article between the first and the last dated one, longest first
    assert stats["days_without_articles"] == [
        {"first": "2026-10-31", "last": "2026-11-01", "days": 2}, {"first": "2026-11-03", "last": "2026-11-04", "days": 2}]
    assert stats["health"]["undated"] == 1


def test_related_links_name_their_archived_targets_and_most_linked_counts_them(archive):
    fill(archive)
    a, b, c = (URL.format(i) for i in (1001, 1002, 9009))
    archive.save_article(make_article(2001, related=[RelatedLink(a, "A", "Tin khác", 1), RelatedLink(c, "C", "Tin khác", 2)]),
                         fetched_at=T1)
    archive.save_article(make_article(2002, related=[RelatedLink(a, "A again", "Xem nhiều", 1),
                                                     RelatedLink(b, "B", "Xem nhiều", 2)]), fetched_at=T1)
    links = read.related_links(archive.db, 2001)
    assert [(r["url"], r["target_id"], r["target_title"]) for r in links] == [
        (a, 1001, archive.record(1001)["title"]), (c, None, None)]
    top = read.most_linked(archive.db)
    assert [(r["url"], r["links"], r["linking_articles"], r["archived"]) for r in top][0] == (a, 2, 2, "yes")
    assert {r["url"]: r["archived"] for r in top}[c] == "no"
    assert {r["article_id"] for r in archive.db.query("SELECT * FROM linked_from WHERE target_id = 1001")} == {2001, 2002}


def test_find_article_by_id_or_any_form_of_its_url(archive):
    fill(archive)
    assert read.find_article(archive.db, "1002") == 1002
    assert read.find_article(archive.db, URL.format(1002)) == 1002
    assert read.find_article(archive.db, "https://laodongthudo.vn/other-slug-1002.html?utm_source=rss") == 1002
    assert read.find_article(archive.db, "4242") is None
    assert read.find_article(archive.db, "9" * 30) is None  # no OverflowError: no such article


def test_rebuild_pages_are_the_kept_2xx_fetches_newest_first(archive):
    url = URL.format(1001)
    first = archive.record_fetch(url, b"<html>v1</html>", fetched_at=T1)
    archive.save_article(make_article(1001, url=url), fetched_at=T1, page_id=first)
    unchanged = archive.record_fetch(url, b"<html>v1, another sidebar</html>", fetched_at=T2)
    archive.save_article(make_article(1001, url=url), fetched_at=T2, page_id=unchanged)  # body not kept
    edited = archive.record_fetch(url, b"<html>v2</html>", fetched_at=T3)
    archive.save_article(make_article(1001, url=url, title="Sửa"), fetched_at=T3, page_id=edited)
    archive.record_fetch(url, b"gone", status=404, fetched_at=T3)
    other = archive.record_fetch(URL.format(1002), b"<html>x</html>", fetched_at=T1)  # no record followed
    assert read.rebuild_pages(archive.db) == [
        (1001, [{"page_id": edited, "url": url, "fetched_at": T3}, {"page_id": first, "url": url, "fetched_at": T1}]),
        (1002, [{"page_id": other, "url": URL.format(1002), "fetched_at": T1}]),
    ]


def test_select_ids_filters_newest_first(archive):
    fill(archive)
    assert read.select_ids(archive.db) == [1005, 1003, 1002, 1001, 1004]  # undated last
    assert read.select_ids(archive.db, category="Thời sự") == [1002, 1001]
    assert read.select_ids(archive.db, since="2026-11-01", until="2026-11-02") == [1003, 1002]
    assert read.select_ids(archive.db, limit=2) == [1005, 1003]
    assert [r["id"] for r in read.records(archive.db, [1002, 4242, 1001])] == [1002, 1001]


def test_an_archive_from_before_the_views_gets_them(db_path):
    db = old_archive(db_path, "0008_read_views", fill)
    assert not db.view_names()
    db.close()
    archive = Archive.open(db_path)
    assert set(VIEWS_0008) <= set(archive.db.view_names())
    assert sum(n for _, n in read.per_category(archive.db)) == len(DATED)
    assert archive.record(1001)["extraction"]["fields"] == {}  # stored before the layers were kept
    archive.close()
