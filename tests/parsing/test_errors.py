"""What parse_article refuses: non-articles (NotAnArticle) and cut-off pages (TruncatedPage); and decoding."""

from __future__ import annotations

import pytest

from scraper.parsing.article import parse_article
from scraper.parsing.errors import NotAnArticle, ParseError, TruncatedPage

from .conftest import REFERENCE_URL, page_file, routes, seed_page

SEED_URL = "https://laodongthudo.vn/ra-soat-lai-bang-cap-chuyen-mon-164585.html"


def _listing_paths():
    out = []
    for path, route in routes("base").items():
        if route.get("status", 200) == 200 and "html" in route.get("content_type", "text/html") \
                and not path.endswith((".html", ".media")) and path.count("/") <= 2 and "rss" not in path \
                and "@" not in path:
            out.append(path)
    return sorted(out)[:6]


def test_listing_pages_are_not_articles():
    paths = _listing_paths()
    assert paths, "no listing pages in the replica's routes"
    for path in paths:
        html = page_file("base", path).read_bytes()
        with pytest.raises(NotAnArticle):
            parse_article(html, "https://laodongthudo.vn" + path)
        # Even when told it is an article URL, a listing has no headline+body of its own.
        with pytest.raises(NotAnArticle):
            parse_article(html, "https://laodongthudo.vn/some-article-999999.html")


def test_tag_page_is_not_an_article():
    tag_paths = [p for p in routes("base") if p.startswith("/tag")]
    assert tag_paths
    html = page_file("base", tag_paths[0]).read_bytes()
    with pytest.raises(NotAnArticle):
        parse_article(html, "https://laodongthudo.vn" + tag_paths[0])


def test_404_page_is_not_an_article():
    for path, route in routes("base").items():
        if route.get("status") == 404:
            html = page_file("base", path).read_bytes()
            with pytest.raises(NotAnArticle):
                parse_article(html, "https://laodongthudo.vn/missing-article-999999.html")
            return
    pytest.fail("no 404 page in the replica")


def test_seed_page_cut_in_half_is_truncated():
    html = seed_page().read_bytes()
    with pytest.raises(TruncatedPage):
        parse_article(html[: len(html) // 2], SEED_URL)


def test_reference_page_cut_inside_its_body_is_truncated(reference_html):
    cut = reference_html.index("Hoặc một món cuốn".encode())
    with pytest.raises(TruncatedPage):
        parse_article(reference_html[:cut], REFERENCE_URL)


@pytest.mark.parametrize("data", [b"", b"   ", b"%PDF-1.4 binary", b'{"json": true}', "plain text, no markup"])
def test_not_html(data):
    with pytest.raises(NotAnArticle):
        parse_article(data, SEED_URL)


def test_not_an_article_url_and_no_canonical():
    html = "<html><head><title>x</title></head><body><h1>Hello</h1><p>World</p></body></html>"
    with pytest.raises(NotAnArticle):
        parse_article(html, "https://laodongthudo.vn/thoi-su")


def test_deep_nesting_around_a_word_is_not_an_article():
    """5,000 nested divs around one word: a documented refusal (no body), not a RecursionError."""
    weird = "<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>"
    with pytest.raises(NotAnArticle):
        parse_article(weird, SEED_URL)


def test_deep_nesting_around_an_article_keeps_its_text():
    """Deep nesting (200 levels; libxml2 stops building the tree at 255) around an article's text:
    parsed, the text whole."""
    paras = "".join(f"<p>Đoạn văn số {i} của bài báo, đủ dài để là văn bản của bài viết thật sự.</p>" for i in range(8))
    page = ("<html><body><h1>Tiêu đề bài viết</h1>" + "<div>" * 200 + paras + "</div>" * 200 + "</body></html>")
    rec = parse_article(page, SEED_URL)
    assert rec.title == "Tiêu đề bài viết"
    assert rec.body.count("Đoạn văn số") == 8


def test_utf8_mislabelled_windows_1252_decodes_as_utf8(reference_html):
    mislabelled = reference_html.replace(b"charset=utf-8", b"charset=windows-1252")
    rec = parse_article(mislabelled, REFERENCE_URL)
    assert rec.title.startswith("Mách bạn cách ăn tối chuẩn")


def test_bom_and_declared_charset(reference_html):
    assert parse_article(b"\xef\xbb\xbf" + reference_html, REFERENCE_URL).title.startswith("Mách bạn")
    utf16 = reference_html.decode("utf-8").encode("utf-16")  # with BOM
    assert parse_article(utf16, REFERENCE_URL).title.startswith("Mách bạn")
    latin = ('<html><head><meta charset="iso-8859-1"></head><body><h1 class="article-detail-title">Caf\xe9</h1>'
             '<div class="article-detail-desc">d</div><div class="__MASTERCMS_CONTENT"><p>na\xefve text</p></div>'
             '</body></html>').encode("latin-1")
    rec = parse_article(latin, "https://laodongthudo.vn/cafe-12345.html")
    assert rec.title == "Café" and rec.body == "naïve text"


def test_str_and_bytes_agree(reference_html):
    a = parse_article(reference_html, REFERENCE_URL).to_dict()
    b = parse_article(reference_html.decode("utf-8"), REFERENCE_URL).to_dict()
    assert a == b


def test_parallel_parsing_in_threads_gives_the_same_records(reference_html):
    from concurrent.futures import ThreadPoolExecutor

    want = parse_article(reference_html, REFERENCE_URL).to_dict()
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda _: parse_article(reference_html, REFERENCE_URL).to_dict(), range(16)))
    assert all(g == want for g in got)


def test_utf8_page_labelled_windows_1252_with_pasted_windows_1252_quotes():
    """A UTF-8 page labelled windows-1252 whose editor pasted Windows-1252 quotes and dashes: strict
    UTF-8 fails on those bytes, and the label would turn every Vietnamese letter into mojibake.
    (A page labelled UTF-8 goes to lxml undecoded, the fast path: pasted bytes there become U+FFFD.)"""
    page = ('<html><head><meta charset="windows-1252"></head><body><h1 class="article-detail-title">Tiêu đề</h1>'
            '<div class="article-detail-desc">(LĐTĐ) Lời dẫn.</div><div class="__MASTERCMS_CONTENT"><p>Người lao động nói '
            ).encode() + b"\x93Tin vui\x94 \x96 " + " ở Hà Nội.</p></div></body></html>".encode()
    rec = parse_article(page, SEED_URL)
    assert rec.body == "Người lao động nói “Tin vui” – ở Hà Nội."
    assert rec.title == "Tiêu đề"
