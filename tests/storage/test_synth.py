"""The benchmark's synthetic archive is built through the real writes and searchable like a crawled one."""

from bench import synth
from bench.search_speed import QUERIES
from scraper.parsing.text import fold
from scraper.storage import Archive
from scraper.storage.search import search


def test_small_synthetic_archive(tmp_path):
    path = tmp_path / "synth.db"
    synth.build(str(path), 300, progress=False)
    archive = Archive.open(path)
    db = archive.db
    assert db["articles"].count == 300
    row = db.execute("SELECT body, body_folded, published_at FROM articles LIMIT 1").fetchone()
    assert row[1] == fold(row[0]) and "đ" not in row[1]
    dates = [r[0] for r in db.execute("SELECT published_at FROM articles ORDER BY id")]
    assert dates[0] < dates[len(dates) // 2] < dates[-1]  # ids grow with time, as on the site
    found = sum(1 for q in QUERIES if search(db, q, limit=1))
    assert found >= len(QUERIES) * 0.6
    for q in QUERIES[:10]:
        assert [r["id"] for r in search(db, q)] and search(db, fold(q))
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
    archive.close()
