"""Which article a page is: the requested URL's, unless the page's canonical link, og:url and JSON-LD url
(those that name an article) all name another article of the same site; then the page is that one, and a
warning says it was fetched under another article's URL."""

from __future__ import annotations

import json
import re

import pytest

from scraper.parsing.article import parse_article

from .conftest import EXPECTED, article_page

B = json.loads((EXPECTED / "base" / "184660.json").read_text(encoding="utf-8"))
B_PAGE = article_page("base", B).read_bytes()
A_URL = "https://laodongthudo.vn/bai-duoc-yeu-cau-184661.html"
C_URL = "https://laodongthudo.vn/bai-thu-ba-184662.html"


def with_signals(canonical: str | None = B["url"], og: str | None = B["url"], ld: str | None = None) -> bytes:
    page = re.sub(rb'<link rel="canonical"[^>]*>', b"", B_PAGE)
    page = re.sub(rb'<meta property="og:url"[^>]*>', b"", page)
    head = ""
    if canonical:
        head += f'<link rel="canonical" href="{canonical}">'
    if og:
        head += f'<meta property="og:url" content="{og}">'
    if ld:
        head += '<script type="application/ld+json">' + json.dumps(
            {"@context": "https://schema.org", "@type": "NewsArticle", "url": ld}) + "</script>"
    return page.replace(b"</head>", head.encode() + b"</head>", 1)


def test_page_naming_another_article_of_the_site_is_that_article():
    rec = parse_article(B_PAGE, A_URL)
    assert (rec.url, rec.id) == (B["url"], B["id"])
    assert rec.body == B["body"] and rec.title == B["title"]
    assert rec.extraction.warnings == [f"url: the page says it is article {B['id']}, not the requested 184661"]
    assert parse_article(B_PAGE, B["url"]).extraction.warnings == []


@pytest.mark.parametrize("signals", [
    {"og": None}, {"canonical": None}, {"ld": B["url"]}, {"canonical": None, "og": None, "ld": B["url"]},
    {"og": "https://laodongthudo.vn/"},  # one that names no article neither agrees nor disagrees
], ids=["canonical only", "og:url only", "all three", "JSON-LD only", "og:url of the home page"])
def test_those_present_agree(signals):
    assert parse_article(with_signals(**signals), A_URL).id == B["id"]


@pytest.mark.parametrize("signals", [
    {"og": C_URL}, {"ld": A_URL}, {"canonical": None, "og": None},
    {"canonical": B["url"].replace("laodongthudo.vn", "kinhtedothi.vn"), "og": None},
], ids=["og:url names a third article", "JSON-LD names the requested one", "no signal", "another site"])
def test_otherwise_the_requested_url_wins(signals):
    rec = parse_article(with_signals(**signals), A_URL)
    assert (rec.url, rec.id) == (A_URL, 184661)
    assert not [w for w in rec.extraction.warnings if w.startswith("url:")]
