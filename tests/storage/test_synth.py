"""The benchmark's synthetic archive has the current schema, the real archive's shape, and is searchable
like a crawled one (its bulk load leaves the full-text index and its triggers as storage keeps them)."""

from bench import synth
from bench.search_speed import QUERIES
from scraper.text import fold
from scraper.storage import Archive
from scraper.storage.migrations import migrations
from scraper.storage.search import search


def test_small_synthetic_archive(tmp_path):
    path = tmp_path / "synth.db"
    synth.build(str(path), 300, progress=False, run_days=2)
    archive = Archive.open(path)
    db = archive.db
    assert not list(migrations.pending(db))
    assert db["articles"].count == 300
    row = db.execute("SELECT body, body_folded, published_at FROM articles LIMIT 1").fetchone()
    assert row[1] == fold(row[0]) and "đ" not in row[1]
    ids = [r[0] for r in db.execute("SELECT id FROM articles ORDER BY id")]
    assert ids[-1] == synth.LAST_ID and ids[0] == synth.LAST_ID - 299
    dates = [r[0] for r in db.execute("SELECT published_at FROM articles ORDER BY id")]
    assert dates[0] < dates[len(dates) // 2] < dates[-1]  # ids grow with time, as on the site
    # real link density, sidebar lists shared across articles, links to archived articles resolved
    links = db.execute("SELECT count(*), count(target_id), count(DISTINCT url) FROM related_links").fetchone()
    assert 13 * 300 < links[0] < 18 * 300 and links[1] > links[0] * 0.2 and links[2] < links[0] / 2
    shared = db.execute("SELECT max(n) FROM (SELECT count(*) n FROM related_links WHERE block = 'Xem nhiều'"
                        " GROUP BY url)").fetchone()[0]
    assert shared >= 100  # a day's "Xem nhiều" list is on every article of that day
    # two days of hourly runs after the backfill, each with its pages; bodies only for first fetches
    runs = db.execute("SELECT count(*), sum(mode = 'backfill') FROM crawl_runs").fetchone()
    assert runs == (49, 1)
    pages = db.execute("SELECT count(*), count(body_sha256) FROM pages").fetchone()
    assert pages[0] > 48 * 100 and pages[1] == 300
    assert db.execute("SELECT count(*) FROM articles a JOIN pages p ON p.id = a.page_id"
                      " WHERE p.article_id = a.id AND p.body_sha256 IS NOT NULL").fetchone()[0] == 300
    assert 0 < db["article_versions"].count < 300 * 0.15
    found = sum(1 for q in QUERIES if search(db, q, limit=1))
    assert found >= len(QUERIES) * 0.6
    for q in QUERIES[:10]:
        assert [r["id"] for r in search(db, q)] and search(db, fold(q))
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
    # the triggers are back: a write through storage is searchable at once
    assert {"articles_ai", "articles_ad", "articles_au"} <= set(db.triggers_dict)
    db.execute("UPDATE articles SET title = 'Zyxwv mới', title_folded = 'zyxwv moi' WHERE id = ?", [ids[0]])
    assert [r["id"] for r in search(db, "zyxwv")] == [ids[0]]
    archive.close()


def test_hit_counts_are_the_archive_search(tmp_path):
    path = tmp_path / "synth.db"
    synth.build(str(path), 200, progress=False, run_days=1)
    hits = synth.hit_counts(path)
    assert set(hits) == set(synth.HIT_QUERIES)
    assert hits["đào tạo"] == hits["dao tao"] > 0
    assert hits['"Nguyễn Văn Hùng"'] < 200 * 0.05
