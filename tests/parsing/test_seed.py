"""The seed article (ground truth: the visible text of the real page) through the parser."""

from __future__ import annotations

import re

import pytest

from scraper.parsing.article import parse_article

from .conftest import seed_page

SEED_URL_RE = re.compile(r"-164585\.html$")


@pytest.fixture(scope="module")
def page() -> bytes:
    p = seed_page()
    assert p is not None, "the replica's seed page (id 164585) is missing from scraper/replica/site/base"
    return p.read_bytes()


def _in_order(body: str, paragraphs: list[str]) -> bool:
    pos = 0
    for p in paragraphs:
        i = body.find(p, pos)
        if i < 0:
            return False
        pos = i + len(p)
    return True


def test_seed_body_has_every_paragraph_in_order_and_no_related_headline(page, seed):
    rec = parse_article(page, "https://laodongthudo.vn/ra-soat-lai-bang-cap-chuyen-mon-164585.html")
    assert rec.title == seed.title
    assert rec.sapo == seed.sapo
    assert rec.author == seed.author
    assert rec.body.split("\n\n") == seed.paragraphs
    assert [i.caption for i in rec.images] == seed.captions
    assert all(i.alt == seed.title for i in rec.images)
    assert len(seed.related_titles) == 19
    for title in seed.related_titles:
        assert title not in rec.body
        assert title not in rec.body_html
    for caption in seed.captions:
        assert caption not in rec.body
    assert seed.author not in rec.body
    titles = {(r.block, r.title) for r in rec.related}
    for t in seed.inline_titles:
        assert ("inline", t) in titles
    for t in seed.nen_xem:
        assert ("Nên xem", t) in titles
    for t in seed.tin_khac:
        assert ("Tin khác", t) in titles
    assert rec.extraction.strategy == "selectors" and rec.extraction.warnings == []


def test_seed_with_every_class_stripped_falls_back_and_still_keeps_related_out(page, seed):
    html = re.sub(rb'\sclass="[^"]*"', b"", page)
    assert b"class=" not in html
    rec = parse_article(html, "https://laodongthudo.vn/ra-soat-lai-bang-cap-chuyen-mon-164585.html")
    assert rec.extraction.strategy == "fallback"
    assert rec.extraction.template is None
    assert _in_order(rec.body, seed.paragraphs)
    for title in seed.related_titles:
        assert title not in rec.body
    for caption in seed.captions:
        assert caption not in rec.body
    assert rec.title == seed.title
