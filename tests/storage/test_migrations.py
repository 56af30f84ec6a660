"""An archive created by an older schema migrates in place, keeps its data, and stays searchable."""

from sqlite_utils import Database

from scraper.parsing.model import RelatedLink
from scraper.text import fold
from scraper.storage import Archive
from scraper.storage.schema import migrate, migrations
from scraper.storage.search import search

from .conftest import make_article, old_archive


def fts_ok(db):
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
    return True


def test_upgrade_from_v1_keeps_data_and_search(db_path):
    # an archive at schema 0001 (no word_count/image_count, articles.page_id not yet a foreign key)
    db = Database(db_path)
    assert migrate(db, stop_before="0002_article_stats_and_page_link") == ["0001_initial"]
    assert "word_count" not in db["articles"].columns_dict
    old = make_article(1001, tags=[], images=[], related=[])
    db["articles"].insert({
        "id": old.id, "url": old.url, "title": old.title, "sapo": old.sapo, "body": old.body,
        "body_html": old.body_html, "author": old.author, "published_at": old.published_at, "category": old.category,
        "first_seen_at": "2026-01-01T00:00:00+07:00", "last_fetched_at": "2026-01-01T00:00:00+07:00",
        "content_hash": "old", "title_folded": fold(old.title), "sapo_folded": fold(old.sapo),
        "body_folded": fold(old.body),
    })
    db.close()

    archive = Archive.open(db_path)
    db = archive.db
    assert [m.name for m in migrations.applied(db)][:3] == [
        "0001_initial", "0002_article_stats_and_page_link", "0003_facet_tokens"]
    assert not list(migrations.pending(db))
    assert ("page_id", "pages", "id") in {(f.column, f.other_table, f.other_column) for f in db["articles"].foreign_keys}
    row = db["articles"].get(1001)
    assert row["body"] == old.body and row["word_count"] == len(old.body.split()) and row["image_count"] == 0
    assert row["facets"] == "cthoisu aminhanh y2026"
    # transform() inside the migration dropped the FTS triggers (sqlite-utils issue 499): restored
    assert {"articles_ai", "articles_ad", "articles_au"} <= set(db.triggers_dict)
    assert {i.columns[0]: i.unique for i in db["articles"].indexes}["url"] == 1
    # the old row is still found, and a row written after the migration is searchable
    assert [r["id"] for r in search(db, "dao tao")] == [1001]
    assert [r["id"] for r in search(db, "dao tao", category="Thời sự", since="2026-01-01")] == [1001]
    new = make_article(2002, title="Giá vàng tăng mạnh", sapo="", body="Giá vàng trong nước tăng.", related=[])
    assert archive.save_article(new) == "new"
    assert [r["id"] for r in search(db, "gia vang")] == [2002]
    # and an edit after the migration is re-indexed (the update trigger is back)
    archive.save_article(make_article(2002, title="Giá bạc giảm", sapo="", body="Giá bạc giảm.", related=[]))
    assert search(db, "gia vang") == [] and [r["id"] for r in search(db, "bac")] == [2002]
    assert fts_ok(db)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    archive.close()


def test_triggers_dropped_out_of_band_are_restored_on_open(db_path):
    archive = Archive.open(db_path)
    archive.save_article(make_article(1001))
    # a later hand-made schema change through sqlite-utils, which loses the triggers (issue 499)
    archive.db["articles"].transform(types={"word_count": float})
    assert "articles_ai" not in archive.db.triggers_dict
    archive.close()
    archive = Archive.open(db_path)
    assert {"articles_ai", "articles_ad", "articles_au"} <= set(archive.db.triggers_dict)
    archive.save_article(make_article(3003, title="Ùn tắc giao thông", sapo="", body="Ùn tắc giờ cao điểm."))
    assert [r["id"] for r in search(archive.db, "un tac")] == [3003]
    assert [r["id"] for r in search(archive.db, "dao tao")] == [1001]
    assert fts_ok(archive.db)
    archive.close()


def test_0018_gives_the_article_feed_its_category_filter_key(tmp_path):
    """An archive of 0017's schema: after the upgrade, article_feed carries category_folded (the feed of a
    category matches as --category does) and still one entry per article."""
    path = tmp_path / "archive.db"
    db = old_archive(path, "0018_article_feed_category_folded",
                     lambda archive: archive.save_article(make_article(1001), fetched_at="2026-11-20T10:00:00+07:00"))
    assert "category_folded" not in db["article_feed"].columns_dict
    db.close()
    with Archive.open(path) as archive:
        rows = list(archive.db.query("SELECT id, category, category_folded, atom_id FROM article_feed"))
    assert rows == [{"id": 1001, "category": "Thời sự", "category_folded": "thoi su",
                     "atom_id": make_article(1001).url}]


def test_0019_linked_from_blocks_keeps_its_rows_and_counts_from_the_links_alone(tmp_path):
    """An archive of 0018's schema: after the upgrade, linked_from_blocks has the same rows (a link
    repeated in a block repeats, links to unarchived articles are left out), and counting it (what
    Datasette's view page does) reads related_links' index only, no article row per link."""
    def fill(archive):
        link = lambda aid, block, pos: RelatedLink(f"https://laodongthudo.vn/tin-{aid}.html", f"Tin {aid}", block, pos)
        archive.save_article(make_article(2002, related=[]), fetched_at="2026-11-19T10:00:00+07:00")
        archive.save_article(make_article(
            1001, related=[link(2002, "Tin liên quan", 1), link(2002, "Xem nhiều", 1), link(2002, "Xem nhiều", 2),
                           link(9009, "Tin liên quan", 2)]), fetched_at="2026-11-20T10:00:00+07:00")
        archive.save_article(make_article(3003, title="Ùn tắc", published_at="2026-11-21T08:00:00+07:00",
                                          related=[link(2002, "next", 1)]), fetched_at="2026-11-21T10:00:00+07:00")

    path = tmp_path / "archive.db"
    db = old_archive(path, "0019_linked_from_blocks_per_row", fill)
    query = "SELECT * FROM linked_from_blocks ORDER BY article_id, block"
    before = list(db.query(query))
    db.close()
    with Archive.open(path) as archive:
        after = list(archive.db.query(query))
        plan = " ".join(r[3] for r in archive.db.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM linked_from_blocks"))
        newest_first = [r["article_id"] for r in archive.db.query(
            "SELECT article_id FROM linked_from_blocks WHERE target_id = 2002 ORDER BY published_at DESC, article_id")]
    assert len(before) == 4 and after == before
    assert {r["block"] for r in after if r["article_id"] == 1001} == {"Tin liên quan", "Xem nhiều"}
    assert after[-1]["title"] == "Ùn tắc" and after[-1]["published_at"] == "2026-11-21T08:00:00+07:00"
    assert newest_first == [3003, 1001, 1001, 1001]
    assert "related_links" in plan and "articles" not in plan.replace("related_links", "")


def test_0020_indexes_the_fts_segments_so_counting_them_reads_the_index(tmp_path):
    """An archive of 0019's schema: after the upgrade, counting articles_fts_data (Datasette's database page
    counts every table) reads the new index, the search index stays intact and searchable through later
    writes and edits; a transform() that makes ensure_search rebuild the FTS table gets the index back."""
    path = tmp_path / "archive.db"
    db = old_archive(path, "0020_fts_data_id_index",
                     lambda archive: archive.save_article(make_article(1001), fetched_at="2026-11-20T10:00:00+07:00"))
    count_plan = "EXPLAIN QUERY PLAN SELECT count(*) FROM articles_fts_data"
    assert "idx_articles_fts_data_id" not in " ".join(r[3] for r in db.execute(count_plan))
    db.close()
    with Archive.open(path) as archive:
        assert "COVERING INDEX idx_articles_fts_data_id" in " ".join(r[3] for r in archive.db.execute(count_plan))
        archive.save_article(make_article(3003, title="Ùn tắc giao thông", sapo="", body="Ùn tắc giờ cao điểm."))
        archive.save_article(make_article(1001, title="Giá vàng tăng", sapo="", body="Giá vàng tăng mạnh."),
                             fetched_at="2026-11-21T10:00:00+07:00")  # its old text leaves the index
        assert [r["id"] for r in search(archive.db, "gia vang")] == [1001]
        assert [r["id"] for r in search(archive.db, "un tac")] == [3003] and search(archive.db, "dao tao") == []
        assert fts_ok(archive.db)
        archive.db["articles"].transform(types={"word_count": float})  # drops the FTS triggers (issue 499)
    with Archive.open(path) as archive:
        assert "idx_articles_fts_data_id" in archive.db["articles_fts_data"].indexes[0].name
        assert [r["id"] for r in search(archive.db, "un tac")] == [3003] and fts_ok(archive.db)


def test_0021_a_category_and_month_facet_by_author_from_one_index(tmp_path):
    """An archive of 0020's schema: after the upgrade, the author counts of a category and a month (the
    articles table's author facet under both filters, as Datasette asks it) come from an index without
    reading an article (before, (category, author) then each article's date), with the same counts;
    (category, published_at) and (category, author) are gone ((category, published_at, author) serves
    their queries: a category's newest first); page_bodies are counted from their (size) index."""
    def fill(archive):
        for aid, category, author, day in ((1001, "Thời sự", "Minh Anh", "2026-11-20"),
                                           (1002, "Thời sự", "Lan", "2026-11-02"),
                                           (1003, "Thời sự", "Minh Anh", "2026-10-30"),
                                           (1004, "Kinh tế", "Lan", "2026-11-05")):
            archive.save_article(make_article(aid, category=category, author=author,
                                              published_at=f"{day}T09:30:00+07:00"),
                                 fetched_at=f"{day}T10:00:00+07:00")

    facet = ("SELECT author AS value, count(*) AS count FROM (SELECT * FROM articles WHERE category = :c"
             " AND published_at LIKE :m) WHERE author IS NOT NULL GROUP BY author ORDER BY count DESC, value")
    newest = "SELECT id FROM articles WHERE category = :c ORDER BY published_at DESC, id"
    args = {"c": "Thời sự", "m": "2026-11%"}
    path = tmp_path / "archive.db"
    db = old_archive(path, "0021_covering_filter_and_count_indexes", fill)
    before = [tuple(r) for r in db.execute(facet, args)]
    db.close()
    with Archive.open(path) as archive:
        plan = " ".join(r[3] for r in archive.db.execute("EXPLAIN QUERY PLAN " + facet, args))
        assert "COVERING INDEX" in plan and "idx_articles_category_author" not in plan
        assert [tuple(r) for r in archive.db.execute(facet, args)] == before == [("Lan", 1), ("Minh Anh", 1)]
        assert [r[0] for r in archive.db.execute(newest, args)] == [1001, 1002, 1003]
        names = {i.name for i in archive.db["articles"].indexes}
        assert not {"idx_articles_category_published_at", "idx_articles_category_author"} & names
        assert "idx_page_bodies_size" in " ".join(
            r[3] for r in archive.db.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM page_bodies"))


def test_0022_links_are_looked_up_and_counted_without_the_target_only_index(tmp_path):
    """An archive of 0021's schema: (target_id) goes; "Linked from" (linked_from_blocks, by target) reads
    (target_id, article_id), with the same rows; the table is counted through a one-integer index."""
    def fill(archive):
        archive.save_article(make_article(2001, related=[]), fetched_at="2026-11-20T10:00:00+07:00")
        for aid in (2002, 2003):
            archive.save_article(make_article(aid, related=[RelatedLink(
                "https://laodongthudo.vn/a-2001.html", "A", "Tin liên quan", 1)]),
                fetched_at="2026-11-21T10:00:00+07:00")

    linked = "SELECT article_id, block FROM linked_from_blocks WHERE target_id = 2001 ORDER BY article_id"
    path = tmp_path / "archive.db"
    db = old_archive(path, "0022_related_links_one_target_index", fill)
    assert "idx_related_links_target_id" in {i.name for i in db["related_links"].indexes}
    before = [tuple(r) for r in db.execute(linked)]
    db.close()
    with Archive.open(path) as archive:
        assert "idx_related_links_target_id" not in {i.name for i in archive.db["related_links"].indexes}
        plan = " ".join(r[3] for r in archive.db.execute("EXPLAIN QUERY PLAN " + linked))
        assert "idx_related_links_target_id_article_id" in plan
        assert [tuple(r) for r in archive.db.execute(linked)] == before == [(2002, "Tin liên quan"), (2003, "Tin liên quan")]
        count = " ".join(r[3] for r in archive.db.execute("EXPLAIN QUERY PLAN SELECT count(*) FROM related_links"))
        assert "COVERING INDEX idx_related_links_position" in count
