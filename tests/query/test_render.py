"""Rendering helpers: snippets that highlight with or without diacritics, safe HTML and URLs, charts."""

from __future__ import annotations

from scraper.datasette.charts import bar_chart, day_chart
from scraper.datasette.render import marked_to_html, safe_body_html, safe_url, snippet

TEXT = ("(LĐTĐ) Ngày 16/11, Sở Nội vụ Hà Nội đề nghị rà soát lại bằng cấp chuyên môn của cán bộ, "
        "công chức. Việc đào tạo cán bộ là cần thiết cho Đảng.")


def test_snippet_marks_the_text_as_written_whatever_the_query_diacritics():
    for query in ("ra soat bang cap", "Rà Soát BẰNG cấp"):
        assert "<mark>rà</mark> <mark>soát</mark> lại <mark>bằng</mark> <mark>cấp</mark>" in snippet(TEXT, query, words=12)
    assert "<mark>đào</mark> <mark>tạo</mark>" in snippet(TEXT, "dao tao")
    assert "<mark>Đảng</mark>" in snippet(TEXT, "dang")


def test_snippet_window_and_ellipses():
    s = snippet(TEXT, "dang", words=6)
    assert s.startswith("…") and s.endswith("<mark>Đảng</mark>.")
    assert snippet(TEXT, "nothing here", words=5) == "(LĐTĐ) Ngày 16/11, Sở Nội…"
    assert snippet("", "x") == "" and snippet("a b", "") == "a b"


def test_marked_html_escapes_everything_but_marks():
    assert marked_to_html("<mark>x</mark> <script>alert(1)</script>") == "<mark>x</mark> &lt;script&gt;alert(1)&lt;/script&gt;"


def test_safe_body_html_and_urls():
    dirty = ('<p onclick="x()">a<script>b()</script><a href="javascript:c()">l</a><img src="/rel" onerror="d()">'
             '<a href="https://laodongthudo.vn/x-1.html">ok</a></p><iframe src="https://e.com"></iframe>')
    clean = safe_body_html(dirty)
    for bad in ("onclick", "script", "javascript", "onerror", "iframe", "/rel"):
        assert bad not in clean
    assert 'href="https://laodongthudo.vn/x-1.html"' in clean
    assert safe_url("javascript:alert(1)") is None and safe_url(" JAVASCRIPT:x") is None
    assert safe_url("data:text/html,x") is None and safe_url("https://a.vn/b") == "https://a.vn/b"


def test_charts_fill_empty_days_and_escape_labels():
    svg = day_chart([("2024-01-01", 2), ("2024-01-04", 1)], link=lambda d: f"/a?d={d}")
    assert 'width="' in svg and svg.count("<rect") == 2  # four days on the axis, two with articles
    assert svg.count('class="ldtd-bar"') == 2 and "2024-01-04: 1 article<" in svg
    bars = bar_chart([("<b>x</b>", 3)], link=lambda c: "/c")
    assert "&lt;b&gt;x&lt;/b&gt;" in bars and "<b>" not in bars
    assert "No dated articles" in day_chart([])
