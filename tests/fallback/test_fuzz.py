"""Fuzzed pages: the fallback never raises, never hangs and never lets markup or scripts through."""

from __future__ import annotations

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.parsing.fallback import Fallback, extract

TAGS = ("div p span a b i em strong ul ol li h1 h2 h3 h4 table tr td figure figcaption img video source br "
        "blockquote aside footer header nav section article script style noscript iframe form input pre sup").split()
ATTRS = ('class="related"', 'class="byline"', 'id="comments"', 'style="display:none"', "hidden",
         'aria-hidden="true"', 'href="https://laodongthudo.vn/tin-moi-nhat-ve-ha-noi-12345.html"',
         'href="javascript:alert(1)"', 'onclick="alert(1)"', 'src="/a.jpg"', 'data-src="//cdn.example/x.png"',
         'alt="x"', 'class="caption"', 'width="1"', 'src="javascript:alert(2)"')
WORDS = ("Tin liên quan", "Nên xem", "Related articles", "the", "một", "câu", "văn", "Hà Nội", "hôm nay",
         "được", "...", "…", ",", ".", ";", "2024", "12:30 | 01/02/2024", "<", "&amp;", "\u200b", "\xa0")

text = st.lists(st.sampled_from(WORDS), max_size=30).map(" ".join)


def _element(children):
    return st.tuples(st.sampled_from(TAGS), st.lists(st.sampled_from(ATTRS), max_size=2), st.lists(children, max_size=5),
                     st.booleans()).map(
        lambda t: f"<{t[0]} {' '.join(t[1])}>{''.join(t[2])}" + (f"</{t[0]}>" if t[3] else ""))


fragment = st.recursive(text, _element, max_leaves=60)


@settings(max_examples=150, deadline=3000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(fragment, max_size=8))
def test_fuzzed_pages(parts):
    html = ("<html><head><title>Tiêu đề</title><meta property='og:title' content='Tin liên quan'></head><body>"
            + "".join(parts) + "</body></html>")
    root = lxml.html.fromstring(html)
    fb = extract(root, "https://laodongthudo.vn/bai-viet-123.html")
    assert isinstance(fb, Fallback)
    low = fb.body_html.lower()
    assert "<script" not in low and "javascript:" not in low and "onclick" not in low and "<iframe" not in low
    for p in fb.paragraphs:
        assert p == p.strip() and "\n" not in p
