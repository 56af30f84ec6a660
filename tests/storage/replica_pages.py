"""The replica's article pages, parsed by the real parser: real records for storage tests."""

import json
from pathlib import Path

from scraper.parsing.article import ParseError, parse_article

SITE = Path(__file__).resolve().parents[2] / "scraper" / "replica" / "site"


def pages(state: str = "base") -> list[tuple[str, bytes]]:
    """(canonical URL, raw bytes) of every article page the state serves with status 200."""
    routes = json.loads((SITE / state / "routes.json").read_text())
    out = []
    for path, route in sorted(routes.items()):
        if route.get("status") == 200 and "/articles/" in route["file"] and path.endswith(".html"):
            out.append((f"https://laodongthudo.vn{path}", (SITE / route["file"]).read_bytes()))
    return out


def records(state: str = "base") -> list[tuple[str, bytes, object]]:
    """(URL, raw bytes, Article) of every replica article page the parser accepts."""
    out = []
    for url, raw in pages(state):
        try:
            article = parse_article(raw, url)
        except ParseError:
            continue
        if article.id is not None:
            out.append((url, raw, article))
    return out
