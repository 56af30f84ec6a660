import json
import zlib

from scraper.parsing.model import RelatedLink
from scraper.storage import content_hash
from scraper.storage.search import search

from .conftest import make_article

T1, T2, T3 = "2026-11-20T10:00:00+07:00", "2026-11-21T10:00:00+07:00", "2026-11-22T10:00:00+07:00"


def dump(db, skip=("last_fetched_at",)):
    """Every row of every table, minus the columns allowed to change."""
    out = {}
    for table in db.table_names():
        if table.startswith("articles_fts") or table == "_sqlite_migrations":
            continue
        out[table] = [{k: v for k, v in row.items() if k not in skip} for row in db[table].rows]
    return out


def test_new_then_idempotent(archive):
    art = make_article()
    assert archive.save_article(art, fetched_at=T1) == "new"
    before = dump(archive.db)
    assert archive.save_article(art, fetched_at=T2) == "unchanged"
    assert archive.save_article(make_article(), fetched_at=T3) == "unchanged"
    assert dump(archive.db) == before
    row = archive.db["articles"].get(art.id)
    assert row["first_seen_at"] == T1 and row["last_fetched_at"] == T3
    assert archive.db["article_versions"].count == 0


def test_record_round_trip(archive):
    art = make_article()
    archive.save_article(art, fetched_at=T1)
    assert archive.record(art.id) == art.to_dict()
    row = archive.db["articles"].get(art.id)
    assert row["word_count"] == len(art.body.split()) and row["image_count"] == 1
    assert row["title_folded"] == "ra soat cong tac dao tao can bo cua dang"
    assert row["content_hash"] == content_hash(art.to_dict())


def test_hash_ignores_fetch_and_extraction_but_not_content():
    a = make_article().to_dict()
    b = make_article(extraction=make_article().extraction.__class__("fallback", None, ["x"])).to_dict()
    assert content_hash(a) == content_hash(b)
    inline = make_article(related=[RelatedLink("https://laodongthudo.vn/trong-bai-2001.html", "T", "inline", 1)])
    assert content_hash(inline.to_dict()) != content_hash(a)
    # the sidebar's blocks are navigation, not content (tests/storage/test_own_content.py)
    assert content_hash(make_article(related=[]).to_dict()) == content_hash(a)
    for change in [dict(title="Khác"), dict(tags=["Hà Nội"]), dict(author=None),
                   dict(updated_at="2026-11-21T09:00:00+07:00"), dict(images=[])]:
        assert content_hash(make_article(**change).to_dict()) != content_hash(a), change


def test_change_stores_previous_version(archive):
    v1 = make_article()
    p1 = archive.record_fetch(v1.url, b"<html>v1</html>", fetched_at=T1)
    archive.save_article(v1, fetched_at=T1, page_id=p1)
    v2 = make_article(title="Rà soát lại công tác đào tạo", tags=["Hà Nội"], body=v1.body + "\n\nĐoạn mới.")
    p2 = archive.record_fetch(v1.url, b"<html>v2</html>", fetched_at=T2)
    assert archive.save_article(v2, fetched_at=T2, page_id=p2) == "updated"
    versions = list(archive.db["article_versions"].rows)
    assert len(versions) == 1
    old = versions[0]
    assert old["title"] == v1.title and old["valid_from"] == T1 and old["valid_until"] == T2
    assert old["page_id"] == p1 and old["content_hash"] == content_hash(v1.to_dict())
    assert json.loads(old["record"]) == v1.to_dict()
    assert archive.record(v1.id) == v2.to_dict()
    row = archive.db["articles"].get(v1.id)
    assert row["page_id"] == p2 and row["first_seen_at"] == T1 and row["last_changed_at"] == T2
    assert [r["name"] for r in archive.db.query(
        "select t.name from article_tags at join tags t on t.id = at.tag_id where article_id = ?", [v1.id])] == ["Hà Nội"]
    # search follows the edit
    assert [r["id"] for r in search(archive.db, "doan moi")] == [v1.id]
    # same again: unchanged, no new version
    assert archive.save_article(v2, fetched_at=T3) == "unchanged"
    assert archive.db["article_versions"].count == 1


def test_gone_keeps_content(archive):
    art = make_article()
    archive.save_article(art, fetched_at=T1)
    assert archive.mark_gone(art.id, T2) is True
    assert archive.mark_gone(art.id, T3) is False  # first time it went is kept
    assert archive.mark_gone(999999, T3) is False
    row = archive.db["articles"].get(art.id)
    assert row["gone_at"] == T2 and row["body"] == art.body
    assert archive.record(art.id) == art.to_dict()
    assert archive.known([art.id])[art.id]["gone_at"] == T2
    assert [r["id"] for r in search(archive.db, "dao tao")] == [art.id]


def test_truncated_record_rejected(archive):
    art = make_article()
    archive.save_article(art, fetched_at=T1)
    before = dump(archive.db, skip=())
    assert archive.save_article(make_article(body="", body_html=""), fetched_at=T2) == "rejected"
    assert archive.save_article(make_article(body="  \n ", title=""), fetched_at=T2) == "rejected"
    assert archive.save_article(make_article(title=""), fetched_at=T2) == "rejected"
    assert dump(archive.db, skip=()) == before


def test_raw_pages_compressed_and_deduplicated(archive):
    html = ("<html><body>" + "Hà Nội " * 2000 + "</body></html>").encode()
    headers = {"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"', "Set-Cookie": "x=1",
               b"Last-Modified": [b"Wed, 25 Nov 2026 08:00:00 GMT"]}
    p1 = archive.record_fetch("https://laodongthudo.vn/a-1001.html", html, 200, headers, T1)
    p2 = archive.record_fetch("https://laodongthudo.vn/a-1001.html", html, 200, headers, T2)
    assert p1 != p2
    assert archive.page_body(p1) == html == archive.page_body(p2)
    assert archive.db["page_bodies"].count == 1
    blob = archive.db["page_bodies"].get(archive.db["pages"].get(p1)["sha256"])
    assert len(blob["data"]) < len(html) / 10 and zlib.decompress(blob["data"]) == html
    page = archive.db["pages"].get(p1)
    assert page["article_id"] == 1001 and page["status"] == 200
    assert json.loads(page["headers"]) == {
        "content-type": "text/html; charset=utf-8", "etag": '"abc"', "last-modified": "Wed, 25 Nov 2026 08:00:00 GMT"}
    p404 = archive.record_fetch("https://laodongthudo.vn/b-1002.html", b"", 404, None, T1)
    assert archive.page_body(p404) == b""


def test_related_target_resolved_both_ways(archive):
    a = make_article(1001, related=[])
    archive.save_article(a, fetched_at=T1)
    # 2002 links to 1001 (archived) and to 3003 (not yet)
    from scraper.parsing.model import RelatedLink
    b = make_article(2002, related=[RelatedLink(a.url, "A", "Tin liên quan", 1),
                                    RelatedLink("https://laodongthudo.vn/c-3003.html", "C", "Tin liên quan", 2)])
    archive.save_article(b, fetched_at=T1)
    targets = {r["url"]: r["target_id"] for r in archive.db["related_links"].rows_where("article_id = 2002")}
    assert targets == {a.url: 1001, "https://laodongthudo.vn/c-3003.html": None}
    archive.save_article(make_article(3003, url="https://laodongthudo.vn/c-3003.html", related=[]), fetched_at=T2)
    targets = {r["url"]: r["target_id"] for r in archive.db["related_links"].rows_where("article_id = 2002")}
    assert targets["https://laodongthudo.vn/c-3003.html"] == 3003
    assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_runs(archive):
    run = archive.start_run("incremental", {"recrawl_days": 3})
    p = archive.record_fetch("https://laodongthudo.vn/a-1001.html", b"x", run_id=run)
    archive.save_article(make_article(), fetched_at=T1, page_id=p, run_id=run)
    archive.finish_run(run, "ok", {"requests": 5, "new": 1, "failed": 0}, errors=["timeout on x"], summary="1 new")
    row = archive.db["crawl_runs"].get(run)
    assert row["mode"] == "incremental" and json.loads(row["args"]) == {"recrawl_days": 3}
    assert row["outcome"] == "ok" and row["requests"] == 5 and row["new"] == 1 and row["updated"] == 0
    assert json.loads(row["errors"]) == [{"reason": "timeout on x"}] and row["summary"] == "1 new" and row["finished_at"]
    assert archive.db["articles"].get(1001)["run_id"] == run


def test_known_and_recent(archive):
    archive.save_article(make_article(1, published_at="2026-11-01T08:00:00+07:00"), fetched_at=T1)
    archive.save_article(make_article(2, published_at="2026-11-21T08:00:00+07:00"), fetched_at=T1)
    archive.save_article(make_article(3, published_at="2026-11-22T08:00:00+07:00"), fetched_at=T1)
    archive.mark_gone(3, T2)
    known = archive.known([1, 2, 3, 4])
    assert set(known) == {1, 2, 3}
    assert known[1] == {"url": make_article(1).url, "published_at": "2026-11-01T08:00:00+07:00",
                        "last_fetched_at": T1, "content_hash": content_hash(make_article(1, published_at="2026-11-01T08:00:00+07:00").to_dict()),
                        "gone_at": None, "refetch": 0}
    assert archive.known(range(1, 2000)).keys() == {1, 2, 3}
    assert [r["id"] for r in archive.recent("2026-11-20")] == [2]
    assert [(r["id"], r["gone_at"]) for r in archive.recent("2026-11-20", include_gone=True)] == [(3, T2), (2, None)]


def test_accepts_plain_dicts(archive):
    assert archive.save_article(make_article().to_dict(), fetched_at=T1) == "new"
    assert archive.save_article(make_article(), fetched_at=T2) == "unchanged"
