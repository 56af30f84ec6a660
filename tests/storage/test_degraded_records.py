"""A site redesign: the parser falls back (strategy "metadata"/"fallback") on pages its site templates
understood before. A degraded record never overwrites a selectors record of the same text; when the
text did change, the new text wins, and what the degraded record did not find (author, dates,
category, tags, images, a related block) is kept from the archived record."""

import dataclasses

from scraper.parsing.model import Extraction, RelatedLink

from .conftest import make_article
from .replica_pages import records

T1, T2, T3 = "2026-11-20T10:00:00+07:00", "2026-11-21T10:00:00+07:00", "2026-11-22T10:00:00+07:00"
FALLBACK = Extraction("fallback", None, ["no site template matched", "author not found"])


def dump(db, skip=("last_fetched_at",)):
    out = {}
    for table in ("articles", "related_links", "images", "tags", "article_tags", "article_versions"):
        out[table] = [{k: v for k, v in row.items() if k not in skip} for row in db[table].rows]
    return out


def test_replica_redesign_keeps_every_archived_record(archive):
    base = records("base")
    redesign = {a.id: a for *_, a in records("redesign")}
    assert {a.extraction.strategy for a in redesign.values()} == {"fallback"}
    for _, _, a in base:
        archive.save_article(a, fetched_at=T1)
    before = dump(archive.db)
    for _, _, a in base:
        assert archive.save_article(redesign[a.id], fetched_at=T2) == "unchanged", a.id
    assert dump(archive.db) == before  # records, related links, versions: all as they were
    for _, _, a in base:
        assert archive.record(a.id) == a.to_dict()
        assert archive.db["articles"].get(a.id)["last_fetched_at"] == T2
    # the site's template comes back: same records, nothing to do
    for _, _, a in base:
        assert archive.save_article(a, fetched_at=T3) == "unchanged"
    assert archive.db["article_versions"].count == 0


def test_degraded_record_with_new_text_keeps_what_it_did_not_find(archive):
    a = make_article(related=[RelatedLink("https://laodongthudo.vn/trong-bai-2001.html", "Trong bài", "inline", 1),
                              RelatedLink("https://laodongthudo.vn/xem-nhieu-2002.html", "Xem", "Xem nhiều", 1)])
    archive.save_article(a, fetched_at=T1)
    edited = make_article(body=a.body + "\n\nĐoạn bổ sung sau khi sửa.", author=None, category=None, category_url=None,
                          tags=[], images=[], extraction=FALLBACK,
                          related=[RelatedLink("https://laodongthudo.vn/tin-khac-2003.html", "Khác", "Tin khác", 1)])
    assert archive.save_article(edited, fetched_at=T2) == "updated"
    got = archive.record(a.id)
    assert got["body"] == edited.body and got["extraction"]["strategy"] == "fallback"
    assert (got["author"], got["category"], got["category_url"]) == (a.author, a.category, a.category_url)
    assert got["tags"] == a.tags and got["images"] == [dataclasses.asdict(i) for i in a.images]
    # the new block is there, and the archived blocks the degraded page did not show are kept
    assert [(r["block"], r["url"]) for r in got["related"]] == [
        ("Tin khác", "https://laodongthudo.vn/tin-khac-2003.html"),
        ("inline", "https://laodongthudo.vn/trong-bai-2001.html"),
        ("Xem nhiều", "https://laodongthudo.vn/xem-nhieu-2002.html")]
    assert archive.db["article_versions"].count == 1
    # the same degraded page an hour later: nothing changed, nothing lost
    assert archive.save_article(edited, fetched_at=T3) == "unchanged"
    assert archive.record(a.id) == got and archive.db["article_versions"].count == 1


def test_degraded_record_of_same_text_is_not_stored(archive):
    a = make_article()
    archive.save_article(a, fetched_at=T1)
    degraded = make_article(author="Sai tác giả", tags=["Khác"], images=[], related=[], extraction=FALLBACK,
                            published_at="2026-11-20T09:00:00+07:00")
    assert archive.save_article(degraded, fetched_at=T2) == "unchanged"
    assert archive.record(a.id) == a.to_dict() and archive.db["article_versions"].count == 0
    # a selectors record still replaces a selectors record, and a fallback record a fallback one
    better = make_article(author="Tác giả mới")
    assert archive.save_article(better, fetched_at=T2) == "updated"
    assert archive.record(a.id) == better.to_dict()
    b = make_article(2002, extraction=FALLBACK, related=[])
    archive.save_article(b, fetched_at=T1)
    b2 = make_article(2002, extraction=FALLBACK, related=[], author="Người khác")
    assert archive.save_article(b2, fetched_at=T2) == "updated"
    assert archive.record(2002)["author"] == "Người khác"
    # a selectors record of the same content: no version, but the record says how it was read now
    b3 = make_article(2002, related=[], author="Người khác")
    assert archive.save_article(b3, fetched_at=T3) == "unchanged"
    assert archive.record(2002) == b3.to_dict() and archive.db["article_versions"].count == 2
