"""A version is about the article's own content: its sidebar ("Xem nhiều", "Tin khác", prev/next, the
lists after the body) changes hourly on the live site and must never make one, while the related
links stay current. The inline boxes in and above the body are part of the article as written."""

import dataclasses
import hashlib

from scraper.parsing.model import RelatedLink
from scraper.storage import Archive, content_hash
from scraper.storage.archive import as_record
from scraper.storage.schema import dumps, migrations

from .conftest import make_article, old_archive
from .replica_pages import records

T1, T2, T3 = "2026-11-20T10:00:00+07:00", "2026-11-20T11:00:00+07:00", "2026-11-20T12:00:00+07:00"
REHASH = "0004_content_hash_of_own_content"


def new_sidebar(article, hour: int):
    """The same article an hour later: its inline boxes as they were, every other block replaced by
    what the site's lists show now (other articles, other titles)."""
    inline = [r for r in article.related if r.block == "inline"]
    sidebar = [RelatedLink(f"https://laodongthudo.vn/tin-moi-{hour}-{n}-{300000 + 10 * hour + n}.html",
                           f"Tin mới {hour}.{n}", block, n)
               for block in ("Xem nhiều", "Tin khác") for n in (1, 2, 3)]
    return dataclasses.replace(article, related=inline + sidebar)


def related_of(db, aid):
    return [tuple(r) for r in db.execute(
        "SELECT url, title, block, position FROM related_links WHERE article_id = ? ORDER BY id", [aid])]


def as_tuples(article):
    return [(r.url, r.title, r.block, r.position) for r in article.related]


def test_sidebar_change_is_no_version_but_links_stay_current(archive):
    a = make_article(related=[RelatedLink("https://laodongthudo.vn/trong-bai-2001.html", "Trong bài", "inline", 1),
                              RelatedLink("https://laodongthudo.vn/xem-nhieu-2002.html", "Xem 1", "Xem nhiều", 1)])
    assert archive.save_article(a, fetched_at=T1) == "new"
    hour2 = new_sidebar(a, 2)
    assert archive.save_article(hour2, fetched_at=T2) == "unchanged"
    assert archive.db["article_versions"].count == 0
    assert related_of(archive.db, a.id) == as_tuples(hour2)
    assert archive.record(a.id) == hour2.to_dict()
    row = archive.db["articles"].get(a.id)
    assert row["last_changed_at"] == T1 and row["last_fetched_at"] == T2
    # a link in the new sidebar to an archived article resolves to it
    archive.save_article(make_article(300021, url="https://laodongthudo.vn/tin-moi-2-1-300021.html", related=[]),
                         fetched_at=T2)
    hour3 = dataclasses.replace(hour2, related=hour2.related + [
        RelatedLink("https://laodongthudo.vn/tin-moi-2-1-300021.html", "Tin mới", "Đọc nhiều", 1)])
    assert archive.save_article(hour3, fetched_at=T3) == "unchanged"
    assert archive.db.execute(
        "SELECT target_id FROM related_links WHERE article_id = ? AND block = 'Đọc nhiều'", [a.id]).fetchone() == (300021,)
    assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_inline_box_change_is_a_version(archive):
    a = make_article(related=[RelatedLink("https://laodongthudo.vn/trong-bai-2001.html", "Trong bài", "inline", 1)])
    archive.save_article(a, fetched_at=T1)
    b = dataclasses.replace(a, related=a.related + [
        RelatedLink("https://laodongthudo.vn/trong-bai-2003.html", "Bài thêm", "inline", 2)])
    assert archive.save_article(b, fetched_at=T2) == "updated"
    assert archive.db["article_versions"].count == 1
    assert archive.record(a.id) == b.to_dict()


def test_replica_articles_refetched_with_new_sidebars_gain_no_version(archive):
    recs = records("base")
    assert len(recs) > 40 and sum(any(r.block == "inline" for r in a.related) for *_, a in recs) > 20
    for _, _, a in recs:
        assert archive.save_article(a, fetched_at=T1) == "new"
    for hour, t in ((2, T2), (3, T3)):
        for _, _, a in recs:
            assert archive.save_article(new_sidebar(a, hour), fetched_at=t) == "unchanged", a.id
    assert archive.db["article_versions"].count == 0
    for _, _, a in recs:
        assert related_of(archive.db, a.id) == as_tuples(new_sidebar(a, 3))
    # the replica's day-later edits are still versions
    day2 = {a.id: a for *_, a in records("day2")}
    edited = [aid for *_, a in recs if (aid := a.id) in day2 and content_hash(day2[aid].to_dict()) != content_hash(a.to_dict())]
    assert edited
    for aid in edited:
        assert archive.save_article(day2[aid], fetched_at="2026-11-21T10:00:00+07:00") == "updated"
    assert archive.db["article_versions"].count == len(edited)


def old_hash(record) -> str:
    """content_hash as archives before the upgrade computed it: every related block included."""
    record = as_record(record)
    content = {k: record.get(k) for k in (
        "url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at",
        "category", "category_url", "tags", "images", "related")}
    return hashlib.sha256(dumps(content).encode()).hexdigest()


def test_upgrade_rehashes_without_versioning_anything(db_path):
    recs = records("base")
    def fill(archive):
        for _, _, a in recs:
            archive.save_article(a, fetched_at=T1)
        archive.save_article(make_article(1001), fetched_at=T1)
        archive.save_article(make_article(1001, title="Tiêu đề khác"), fetched_at=T2)  # one earlier version

    db = old_archive(db_path, REHASH, fill)
    db.conn.executemany("UPDATE articles SET content_hash = ? WHERE id = ?",
                        [(old_hash(a), a.id) for *_, a in recs])
    db.conn.commit()
    db.close()

    archive = Archive.open(db_path)
    db = archive.db
    assert REHASH in {m.name for m in migrations.applied(db)}
    assert archive.db["article_versions"].count == 1
    for _, _, a in recs:
        assert db["articles"].get(a.id)["content_hash"] == content_hash(a.to_dict())
    version = db.execute("SELECT content_hash, record FROM article_versions").fetchone()
    import json
    assert version[0] == content_hash(json.loads(version[1]))
    # the first hourly run after the upgrade: the same pages, with the sidebar of the hour
    for _, _, a in recs:
        assert archive.save_article(new_sidebar(a, 2), fetched_at=T3) == "unchanged", a.id
    assert archive.db["article_versions"].count == 1
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    archive.close()
