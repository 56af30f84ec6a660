"""Search speed and index size on a synthetic archive.

    python -m bench.search_speed --articles 200000

Builds (once; cached in bench/out/) a synthetic archive of N Vietnamese articles through the real
``Archive`` writes, then times ``scraper.storage.search.search`` for a set of realistic queries typed
with diacritics and the same queries typed without them (folded, "d" for "đ"): median and 95th
percentile milliseconds per query. Reports the database size per 1,000 articles and the FTS index
sizes: the real index (plain + folded columns) and, measured on separate scratch indexes over the same
rows with the same tokenizer, the plain columns alone against the folded columns alone.
Targets: p95 < 50 ms at 200,000 articles; folded index <= 2x the plain one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from scraper.text import fold

OUT = Path(__file__).parent / "out"

QUERIES = [
    "đào tạo cán bộ", "giá vàng", "Hà Nội", "bảo hiểm xã hội", "người lao động", "Công đoàn", "Đống Đa",
    "Bát Tràng", "lãi suất cho vay", "ô nhiễm không khí", "Nguyễn Văn Hùng", "covid-19", "xe buýt điện",
    "vành đai 4", "sốt xuất huyết", "nhà ở xã hội", "Đảng", "tốt nghiệp trung học phổ thông", "đường sắt đô thị",
    "lừa đảo chiếm đoạt tài sản", "giải phóng mặt bằng", "Liên đoàn Lao động", "thịt lợn", "Sóc Sơn",
    "chuyển đổi số", "học bổng", "đuối nước", "trí tuệ nhân tạo", "Hòa Lạc", "Quốc hội thảo luận",
    "lương tối thiểu vùng", "phòng cháy chữa cháy", "Mỹ Đình", "hàng giả", "Tết Nguyên đán", "vắc xin",
    "khởi nghiệp sáng tạo", "Đặng Đức Dũng", "ngập úng", "thương mại điện tử",
]


def percentile(values, p):
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def ensure_archive(n: int, seed: int) -> tuple[Path, float | None]:
    from bench import synth

    OUT.mkdir(exist_ok=True)
    path = OUT / f"synth-{n}-s{seed}.db"
    done = path.with_suffix(".done")
    if path.exists() and done.exists():
        return path, json.loads(done.read_text()).get("build_seconds")
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"building {n:,} synthetic articles into {path} ...", flush=True)
    secs = synth.build(str(path), n, seed)
    done.write_text(json.dumps({"build_seconds": secs}))
    return path, secs


def index_sizes(db) -> dict:
    """Bytes of the real FTS index, and of plain-only vs folded-only scratch indexes on the same rows."""
    from scraper.storage.schema import FOLDED_COLUMNS, FTS_TOKENIZE, PLAIN_COLUMNS

    def size(prefix):
        return db.execute("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE ?", [prefix + "%"]).fetchone()[0]

    out = {"fts_total": size("articles_fts")}
    for name, cols in (("plain", PLAIN_COLUMNS), ("folded", FOLDED_COLUMNS)):
        table = f"bench_{name}_fts"
        db.execute(f"DROP TABLE IF EXISTS {table}")
        db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5({', '.join(cols)}, tokenize='{FTS_TOKENIZE}', content='articles', content_rowid='id')"
        )
        t0 = time.perf_counter()
        db.execute(f"INSERT INTO {table}({table}) VALUES('rebuild')")
        db.execute(f"INSERT INTO {table}({table}) VALUES('optimize')")
        out[f"{name}_build_s"] = round(time.perf_counter() - t0, 1)
        out[name] = size(table)
        db.execute(f"DROP TABLE {table}")
    out["stored_folded_text"] = db.execute(
        "SELECT sum(length(CAST(title_folded AS BLOB)) + length(CAST(sapo_folded AS BLOB))"
        " + length(CAST(body_folded AS BLOB))) FROM articles"
    ).fetchone()[0]
    return out


def time_queries(db, queries, repeat: int) -> list[float]:
    from scraper.storage.search import search

    times = []
    for _ in range(repeat):
        for q in queries:
            t0 = time.perf_counter()
            search(db, q, limit=20)
            times.append((time.perf_counter() - t0) * 1000)
    return times


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--no-split", action="store_true", help="skip the plain-vs-folded scratch index measurement")
    a = p.parse_args(argv)

    from sqlite_utils import Database

    path, build_s = ensure_archive(a.articles, a.seed)
    db = Database(path)
    n = db["articles"].count
    file_bytes = sum(os.path.getsize(str(path) + s) for s in ("", "-wal") if os.path.exists(str(path) + s))
    page = db.execute("PRAGMA page_size").fetchone()[0]
    used_bytes = (db.execute("PRAGMA page_count").fetchone()[0] - db.execute("PRAGMA freelist_count").fetchone()[0]) * page

    from scraper.storage.search import search

    with_d = QUERIES
    without_d = [fold(q) for q in QUERIES]
    time_queries(db, with_d + without_d, 1)  # warm the page cache
    results = {}
    for label, qs in (("with diacritics", with_d), ("without diacritics", without_d)):
        t = time_queries(db, qs, a.repeat)
        results[label] = t
    # filtered searches, as the CLI and Datasette run them
    author = db.execute("SELECT author FROM articles WHERE author IS NOT NULL LIMIT 1").fetchone()[0]
    for label, kw in (
        ("+ category + years", dict(category="Kinh tế", since="2020-01-01", until="2024-12-31")),
        ("+ category", dict(category="Kinh tế")),
        ("+ author", dict(author=author)),
        ("+ since (last year)", dict(since="2025-11-01")),
    ):
        filtered = []
        for q in (with_d[:10] + without_d[10:20]) * a.repeat:
            t0 = time.perf_counter()
            search(db, q, **kw)
            filtered.append((time.perf_counter() - t0) * 1000)
        results[label] = filtered

    hits = {q: len(search(db, q, limit=1000)) for q in (QUERIES[0], fold(QUERIES[0]), "Hà Nội", "Bát Tràng")}
    print(f"\narchive: {n:,} articles, {used_bytes / 1e6:,.0f} MB in use ({used_bytes / n * 1000 / 1e6:.1f} MB per 1,000"
          f" articles; file {file_bytes / 1e6:,.0f} MB)"
          + (f", built in {build_s:.0f} s ({n / build_s:,.0f} articles/s)" if build_s else ""))
    print(f"{'queries':<28}{'n':>6}{'median ms':>12}{'p95 ms':>10}{'max ms':>10}")
    for label, t in results.items():
        print(f"{label:<28}{len(t):>6}{statistics.median(t):>12.1f}{percentile(t, 95):>10.1f}{max(t):>10.1f}")
    print("matches (first 1000):", hits)
    if not a.no_split:
        sizes = index_sizes(db)
        mb = lambda b: f"{b / 1e6:,.1f} MB"  # noqa: E731
        print(f"FTS index (plain + folded columns, the real one): {mb(sizes['fts_total'])}"
              f" = {sizes['fts_total'] / n * 1000 / 1e6:.2f} MB per 1,000 articles")
        print(f"  scratch plain-only index:  {mb(sizes['plain'])}")
        print(f"  scratch folded-only index: {mb(sizes['folded'])}"
              f"  -> folded / plain = {sizes['folded'] / sizes['plain']:.2f}x (target <= 2x)")
        print(f"  stored folded text (title/sapo/body_folded): {mb(sizes['stored_folded_text'])}")
    db.close()


if __name__ == "__main__":
    main()
