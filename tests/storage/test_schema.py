from scraper.storage import Archive
from scraper.storage.schema import FTS_COLUMNS

TABLES = {"articles", "related_links", "images", "tags", "article_tags", "article_versions", "pages", "crawl_runs"}


def fks(db, table):
    return {(fk.column, fk.other_table, fk.other_column) for fk in db[table].foreign_keys}


def test_tables_and_columns(archive):
    db = archive.db
    assert TABLES <= set(db.table_names())
    cols = set(db["articles"].columns_dict)
    assert {
        "id", "url", "title", "sapo", "body", "body_html", "author", "published_at", "updated_at", "category",
        "category_url", "first_seen_at", "last_fetched_at", "content_hash", "gone_at", "extraction_strategy",
        "extraction_warnings", "page_id", "word_count", "image_count", "title_folded", "sapo_folded", "body_folded",
    } <= cols
    assert db["articles"].pks == ["id"]
    assert {"article_id", "block", "position", "url", "title", "target_id"} <= set(db["related_links"].columns_dict)
    assert {"article_id", "position", "url", "caption", "alt"} <= set(db["images"].columns_dict)
    assert {"id", "name", "slug"} <= set(db["tags"].columns_dict)
    assert {"article_id", "content_hash", "valid_from", "valid_until", "title", "body", "record"} <= set(
        db["article_versions"].columns_dict
    )
    assert {"url", "article_id", "status", "headers", "fetched_at", "sha256", "run_id"} <= set(db["pages"].columns_dict)
    assert {
        "id", "started_at", "finished_at", "mode", "args", "outcome", "requests", "new", "updated", "unchanged",
        "gone", "failed", "errors", "summary",
    } <= set(db["crawl_runs"].columns_dict)


def test_foreign_keys_declared(archive):
    db = archive.db
    assert ("article_id", "articles", "id") in fks(db, "related_links")
    assert ("target_id", "articles", "id") in fks(db, "related_links")
    assert ("article_id", "articles", "id") in fks(db, "images")
    assert {("article_id", "articles", "id"), ("tag_id", "tags", "id")} <= fks(db, "article_tags")
    assert ("article_id", "articles", "id") in fks(db, "article_versions")
    assert ("page_id", "pages", "id") in fks(db, "articles")
    # body_sha256: the kept body (NULL when not kept); sha256 is the hash of the bytes fetched, not a link
    assert {("run_id", "crawl_runs", "id"), ("body_sha256", "page_bodies", "sha256")} <= fks(db, "pages")


def test_indexes(archive):
    db = archive.db
    idx = {tuple(i.columns): i.unique for i in db["articles"].indexes}
    assert idx[("url",)] == 1
    assert ("published_at",) in idx and any(columns[:2] == ("category", "published_at") for columns in idx)
    assert {tuple(i.columns): i.unique for i in db["tags"].indexes}[("name",)] == 1
    for table, col in [("related_links", "article_id"), ("related_links", "target_id"), ("images", "article_id"),
                       ("article_versions", "article_id"), ("pages", "run_id"), ("article_tags", "tag_id")]:
        assert any(i.columns[0] == col for i in db[table].indexes), (table, col)


def test_pragmas_and_fts(archive):
    db = archive.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert db["articles"].detect_fts() == "articles_fts"
    assert tuple(db["articles_fts"].columns_dict) == FTS_COLUMNS
    assert {"articles_ai", "articles_ad", "articles_au"} <= set(db.triggers_dict)


def test_reopen_is_a_noop(db_path):
    a = Archive.open(db_path)
    schema = a.db.execute("select group_concat(sql, ';') from sqlite_master").fetchone()[0]
    a.close()
    b = Archive.open(db_path)
    assert b.db.execute("select group_concat(sql, ';') from sqlite_master").fetchone()[0] == schema
    b.close()


def test_refetch_of_unchanged_article_does_not_touch_the_index(archive):
    from .conftest import make_article

    archive.save_article(make_article(), fetched_at="2026-11-20T10:00:00+07:00")
    fts_state = "select count(*), sum(length(block)) from articles_fts_data"
    before = archive.db.execute(fts_state).fetchone()
    assert archive.save_article(make_article(), fetched_at="2026-11-21T10:00:00+07:00") == "unchanged"
    archive.mark_gone(make_article().id)
    assert archive.db.execute(fts_state).fetchone() == before
    archive.db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
    # an edit does re-index
    archive.save_article(make_article(title="Tiêu đề mới"), fetched_at="2026-11-22T10:00:00+07:00")
    assert archive.db.execute(fts_state).fetchone() != before
    archive.db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
