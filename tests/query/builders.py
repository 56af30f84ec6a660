"""Test archives built through the real write path (Archive.open + save_article of Article records).

Records come from the replica's expected JSON (tests/fixtures/expected/base/*.json): real data
through the real write path.
"""

from __future__ import annotations

import json
from pathlib import Path

from scraper.parsing.model import Article
from scraper.storage import Archive

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "fixtures" / "expected"

SEED_ID = 164585
SEED_TITLE = "Rà soát lại bằng cấp chuyên môn của đội ngũ cán bộ, công chức cấp xã"


def _rec(id, title, sapo, paragraphs, published, category, cat_slug, author=None, tags=(), images=(), related=()):
    body = "\n\n".join(paragraphs)
    body_html = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    for img in images:
        body_html += f'\n<figure><img src="{img["url"]}" alt="{img["alt"]}"><figcaption>{img["caption"]}</figcaption></figure>'
    return {
        "url": f"https://laodongthudo.vn/bai-viet-{id}.html",
        "id": id,
        "title": title,
        "sapo": sapo,
        "body": body,
        "body_html": body_html,
        "author": author,
        "published_at": published,
        "updated_at": None,
        "category": category,
        "category_url": f"https://laodongthudo.vn/{cat_slug}",
        "tags": list(tags),
        "images": list(images),
        "related": [
            {"url": f"https://laodongthudo.vn/bai-viet-{rid}.html", "title": rtitle, "block": block, "position": pos}
            for rid, rtitle, block, pos in related
        ],
        "extraction": {"strategy": "selectors", "template": "mastercms-2026", "warnings": []},
    }


def records(state: str = "base") -> list[dict]:
    """The replica's expected records of a state (the full Article.to_dict() of each article)."""
    files = sorted((EXPECTED / state).glob("*.json"))
    assert files, f"no expected records in {EXPECTED / state}"
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def build_archive(path: Path, state: str = "base", with_run: bool = True, with_version: bool = True) -> Path:
    """An archive file holding the records, one crawl run, and one changed article (a version)."""
    recs = records(state)
    with Archive.open(path) as archive:
        run_id = archive.start_run("test", {"state": state}, started_at="2023-11-17T06:00:00+07:00") if with_run else None
        with archive.batch():
            for rec in recs:
                archive.save_article(Article.from_dict(rec), fetched_at="2023-11-17T06:00:00+07:00", run_id=run_id)
        if with_version:
            seed = next((r for r in recs if r["id"] == SEED_ID), recs[0])
            changed = dict(seed, title=seed["title"] + " (cập nhật)")
            archive.save_article(Article.from_dict(changed), fetched_at="2023-11-18T06:00:00+07:00", run_id=run_id)
            archive.save_article(Article.from_dict(seed), fetched_at="2023-11-19T06:00:00+07:00", run_id=run_id)
        if with_run:
            archive.finish_run(run_id, "ok", {"requests": len(recs) + 2, "new": len(recs), "updated": 2},
                               finished_at="2023-11-17T06:05:00+07:00")
    return path


HOSTILE_ID = 999001
HOSTILE_TITLE = "Bài viết thử nghiệm mã độc"
HOSTILE_BODY_HTML = (
    '<p>Đoạn mở đầu an toàn.</p>'
    '<script>document.title = "PWNED"; window.pwned = 1;</script>'
    '<p onclick="window.pwned=2">Nhấn vào đây</p>'
    '<img src="x" onerror="window.pwned=3; document.title=\'PWNED\'">'
    '<a href="javascript:window.pwned=4">liên kết độc</a>'
    '<iframe src="javascript:parent.pwned=5"></iframe>'
    '<svg onload="window.pwned=6"><script>window.pwned=7</script></svg>'
    '<style>body { display: none }</style>'
    '<p style="background:url(javascript:window.pwned=8)">Đoạn kết an toàn.</p>'
)


def add_hostile_article(path: Path) -> int:
    """An article whose stored body_html is hostile, written straight into the table (bypassing the
    parser's sanitiser): what a display must neutralise on its own."""
    rec = _rec(HOSTILE_ID, HOSTILE_TITLE, "(LĐTĐ) <script>window.pwned=9</script> lead",
               ["Đoạn mở đầu an toàn."], "2024-02-01T08:00:00+07:00", "Thời sự", "thoi-su",
               images=[{"url": "javascript:window.pwned=10", "caption": "<img src=x onerror=window.pwned=11>", "alt": "x"}],
               related=[(SEED_ID, SEED_TITLE, "inline", 1)])
    with Archive.open(path) as archive:
        archive.save_article(Article.from_dict(rec), fetched_at="2024-02-01T09:00:00+07:00")
        with archive.db.atomic():
            archive.db.execute("UPDATE articles SET body_html = ? WHERE id = ?", [HOSTILE_BODY_HTML, HOSTILE_ID])
            archive.db.execute(
                "INSERT INTO related_links (article_id, block, position, url, title) VALUES (?, ?, ?, ?, ?)",
                [HOSTILE_ID, "inline", 2, "javascript:window.pwned=12", "<b onmouseover=window.pwned=13>x</b>"],
            )
    return HOSTILE_ID


REPLICA_SITE = ROOT / "scraper" / "replica" / "site"


def replica_article_pages(state: str = "base") -> list[tuple[str, bytes]]:
    """(canonical URL, raw HTML) of every article page of a replica state, as the site serves them."""
    from scraper.urls import CANONICAL_BASE, article_id

    routes = json.loads((REPLICA_SITE / state / "routes.json").read_text(encoding="utf-8"))
    pages = []
    for path, route in sorted(routes.items()):
        url = CANONICAL_BASE + path
        if route.get("status") == 200 and article_id(url) is not None:
            pages.append((url, (REPLICA_SITE / route["file"]).read_bytes()))
    return pages


def build_archive_from_pages(path: Path, state: str = "base") -> list[int]:
    """Raw pages stored with record_fetch and parsed with the current parser, as a crawl stores them."""
    from scraper.parsing.article import parse_article

    ids = []
    with Archive.open(path) as archive:
        with archive.batch():
            for url, raw in replica_article_pages(state):
                page_id = archive.record_fetch(url, raw, 200, {"content-type": "text/html; charset=utf-8"},
                                               fetched_at="2024-12-01T08:00:00+07:00")
                article = parse_article(raw, url)
                archive.save_article(article, fetched_at="2024-12-01T08:00:00+07:00", page_id=page_id)
                ids.append(article.id)
    return ids
