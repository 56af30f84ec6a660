"""Hostile pages: scripts, on* attributes, javascript:/vbscript:/data: URLs (any case, padded,
entity-encoded), iframes, object/embed, style tricks (expression(), url(javascript:)), svg onload,
math/noscript mutation tricks, base/meta refresh, all inside the article body of replica pages
(`hostile.py`). None survives into `body_html`, by the parser alone and through a crawl into the
archive; the harmless text around the payloads does survive (it was inside what was extracted).

(The Datasette page of such an article opened in Chromium is tests/browse's.)
"""

from __future__ import annotations

import pytest

from scraper.parsing.article import parse_article

from .conftest import HOSTILE, HOSTILE_REDESIGN, db_rows
from .hostile import MARKERS, expected, hostile_page, unsafe_parts

# (state, id): one page per site template, the long-form page, and two redesign pages (fallback)
SELECTOR_PAGES = [("base", 164585), ("base", 164520), ("base", 81759), ("base", 203033), ("base", 184662)]
FALLBACK_PAGES = [("redesign", 164585), ("redesign", 184688), ("redesign", 202860)]


@pytest.mark.parametrize("state,aid", SELECTOR_PAGES)
def test_site_templates_keep_the_text_and_drop_every_payload(state, aid):
    article = parse_article(hostile_page(state, aid), expected(state, aid)["url"])
    assert article.extraction.strategy == "selectors"
    assert unsafe_parts(article.body_html) == []
    missing = [m for m in MARKERS if m not in article.body]
    assert not missing, missing
    # the article's own text is all still there, in order, around the injected blocks
    for para in expected(state, aid)["body"].split("\n\n"):
        assert para in article.body


@pytest.mark.parametrize("state,aid", FALLBACK_PAGES)
def test_fallback_drops_every_payload(state, aid):
    article = parse_article(hostile_page(state, aid), expected(state, aid)["url"])
    assert article.extraction.strategy == "fallback"
    assert unsafe_parts(article.body_html) == []
    assert expected(state, aid)["body"].split("\n\n")[-1] in article.body  # the article was still found


def test_payloads_in_the_head_and_page_chrome_never_reach_the_record():
    state, aid = "base", 184688
    page = hostile_page(state, aid).decode("utf-8")
    page = page.replace("<head>", "<head><base href=\"javascript:alert('xss-h')//\"><script>alert('xss-h2')</script>", 1)
    article = parse_article(page, expected(state, aid)["url"])
    record = article.to_dict()
    for key in ("title", "sapo", "author", "category_url", "url"):
        assert "xss" not in (record[key] or "") and "javascript" not in (record[key] or "").lower(), key
    for img in record["images"]:
        assert img["url"].startswith(("http://", "https://")), img
    for rel in record["related"]:
        assert rel["url"].startswith("https://laodongthudo.vn/"), rel
    assert unsafe_parts(article.body_html) == []


def test_hostile_pages_crawled_into_the_archive_are_stored_safe(site_under_fire):
    """Hostile pages served at four article URLs (three templates and a redesigned page) during a backfill
    (the history `tests.crawl.site_under_fire`): what lands in `articles.body_html` is safe."""
    assert site_under_fire["backfill"].returncode == 0, site_under_fire["backfill"]
    db = site_under_fire["db"]
    served = (*HOSTILE, HOSTILE_REDESIGN)
    rows = {r["id"]: r for r in db_rows(db, "SELECT id, body, body_html, extraction_strategy FROM articles")}
    assert set(served) <= set(rows)
    for aid, row in rows.items():
        assert unsafe_parts(row["body_html"]) == [], aid
    for aid in HOSTILE:
        assert not [m for m in MARKERS if m not in rows[aid]["body"]], aid
    assert rows[HOSTILE_REDESIGN]["extraction_strategy"] == "fallback"
    # text that *shows* markup (entity-encoded in the page) stays text: plain in body, escaped in body_html
    shown = "<script>alert('xss-12')</script> Đoạn an toàn 12."
    assert shown in rows[164585]["body"]
    assert "&lt;script&gt;alert('xss-12')&lt;/script&gt; Đoạn an toàn 12." in rows[164585]["body_html"]
