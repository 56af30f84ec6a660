"""Truncation judged on evidence, not on end tags; body-only fragments.

A page is TruncatedPage only when its source stops inside the article (the body container still open
where the source ends; without a site template, within a few lines of the article's last text, or before
its headline). A page whose article is whole but that has no </body>/</html> parses, with
OPEN_END_WARNING. A body-only fragment (what CMS databases store) is the body: its marked lead is the
lead, its title is null."""

from __future__ import annotations

import json
import re

import pytest

from scraper.parsing.article import parse_article
from scraper.parsing.errors import OPEN_END_WARNING, TruncatedPage

from .conftest import EXPECTED, REFERENCE, REFERENCE_URL, article_page

_END_TAGS = re.compile(rb"</(?:body|html)\s*>", re.I)
_CLASS_ID = re.compile(rb'\s(?:class|id)="[^"]*"')


def _first_of_each_template() -> list[tuple[str, bytes, dict]]:
    """(name, page bytes, expected record): one replica page per site template, and one the templates do
    not know (the redesign: the generic extraction)."""
    out, seen = [], set()
    for state in ("base", "redesign"):
        for path in sorted((EXPECTED / state).glob("*.json")):
            rec = json.loads(path.read_text(encoding="utf-8"))
            template = rec["extraction"]["template"]
            if template in seen:
                continue
            seen.add(template)
            out.append((f"{state}-{template or 'fallback'}", article_page(state, rec).read_bytes(), rec))
    return out


PAGES = _first_of_each_template()
PAGE_IDS = [name for name, _p, _r in PAGES]


def _pages_and_url():
    ref = REFERENCE.read_bytes()
    cases = [("reference", ref, REFERENCE_URL), ("reference-no-classes", _CLASS_ID.sub(b"", ref), REFERENCE_URL)]
    for name, page, rec in PAGES:
        cases.append((name, page, rec["url"]))
        cases.append((name + "-no-classes", _CLASS_ID.sub(b"", page), rec["url"]))
    return cases


CASES = _pages_and_url()
CASE_IDS = [c[0] for c in CASES]


def _body_positions(page: bytes, body: str) -> tuple[list[int], int]:
    """Byte offsets inside the article's text (mid-paragraph, and right after a paragraph's end tag inside
    the body), and the offset where its last paragraph's text ends."""
    paragraphs = [p for p in body.split("\n\n") if len(p) > 40]
    found = []
    for p in paragraphs:
        head = p[:30].encode()
        at = page.find(head)
        if at >= 0:
            found.append((at, p))
    assert len(found) >= 2, "no body paragraph found literally in the page"
    inside = [found[0][0] + 15, found[len(found) // 2][0] + 25]
    close = page.find(b"</p>", found[0][0])
    inside.append(close + len(b"</p>"))
    last = body.split("\n\n")[-1][-25:].encode()
    end = page.rfind(last) + len(last)
    inside.append(end - 5)
    assert all(i < end for i in inside)
    return inside, end


@pytest.mark.parametrize("name,page,url", CASES, ids=CASE_IDS)
def test_page_without_end_tags_parses_with_a_warning(name, page, url):
    whole = parse_article(page, url).to_dict()
    open_end = parse_article(_END_TAGS.sub(b"", page), url).to_dict()
    assert OPEN_END_WARNING not in whole["extraction"]["warnings"]
    assert open_end["extraction"]["warnings"] == whole["extraction"]["warnings"] + [OPEN_END_WARNING]
    open_end["extraction"]["warnings"].pop()
    assert open_end == whole


@pytest.mark.parametrize("name,page,url", CASES, ids=CASE_IDS)
def test_page_cut_inside_its_article_is_truncated(name, page, url):
    body = parse_article(page, url).body
    inside, _end = _body_positions(page, body)
    for cut in inside:
        with pytest.raises(TruncatedPage):
            parse_article(page[:cut], url)


@pytest.mark.parametrize("name,page,url", CASES, ids=CASE_IDS)
def test_page_cut_before_its_article_is_truncated(name, page, url):
    h1 = page.find(b"<h1")
    assert h1 > 0
    for cut in (h1 // 2, h1, page.find(b"</h1>", h1) + len(b"</h1>") + 1):
        with pytest.raises(TruncatedPage):
            parse_article(page[:cut], url)


@pytest.mark.parametrize("name,page,url", CASES, ids=CASE_IDS)
def test_page_cut_after_its_article_keeps_the_whole_article(name, page, url):
    whole = parse_article(page, url)
    _inside, end = _body_positions(page, whole.body)
    stop = page.rfind(b"</body>")  # (the reference page has a comment after </html>)
    cuts = [stop - 40, stop - (stop - end) // 4]
    for cut in cuts:
        assert cut > end
        rec = parse_article(page[:cut], url)
        assert (rec.title, rec.sapo, rec.body, rec.body_html, rec.author, rec.published_at) == (
            whole.title, whole.sapo, whole.body, whole.body_html, whole.author, whole.published_at)
        assert rec.extraction.warnings[-1] == OPEN_END_WARNING


def test_a_source_cut_inside_a_tag_leaves_no_trace_in_the_record():
    """The end mark appended to find what is open is never in the record (a cut inside an attribute value
    would have swallowed it)."""
    page = REFERENCE.read_bytes()
    at = page.rfind(b'title="', 0, page.rfind(b"</body>"))  # a link of the sidebar or footer, after the article
    for cut in (at + 3, at + len(b'title="') + 2):
        rec = parse_article(page[:cut], REFERENCE_URL)
        assert rec.extraction.warnings[-1] == OPEN_END_WARNING
        assert "end-of-source" not in json.dumps(rec.to_dict(), ensure_ascii=False)


# --- body-only fragments ------------------------------------------------------------------------------

def _fragment(page: bytes, lead: bool) -> bytes:
    """The body container alone (with the lead element before it when `lead`), as a CMS stores it."""
    from lxml import etree, html

    doc = html.fromstring(page)
    body = doc.xpath("//*[contains(concat(' ', normalize-space(@class), ' '), ' __MASTERCMS_CONTENT ')"
                     " or contains(concat(' ', normalize-space(@class), ' '), ' detail_info ')]")[0]
    parts = [etree.tostring(body, encoding="unicode", with_tail=False)]
    if lead:
        desc = doc.xpath("//*[contains(@class, 'article-detail-desc') or contains(@class, 'sapo')]")[0]
        parts.insert(0, etree.tostring(desc, encoding="unicode", with_tail=False))
    return "\n".join(parts).encode()


TEMPLATED = [(name, page, rec) for name, page, rec in PAGES if rec["extraction"]["template"]]
# (the 2020 template's lead is a plain paragraph inside its body container: no fragment without it)
FRAGMENTS = [(n, p, r, False) for n, p, r in TEMPLATED] + [
    (n, p, r, True) for n, p, r in TEMPLATED if r["extraction"]["template"] != "ldtd-2020"]


@pytest.mark.parametrize("name,page,rec,lead", FRAGMENTS,
                         ids=[f"{f[0]}-{'lead+body' if f[3] else 'body'}" for f in FRAGMENTS])
def test_fragment_is_the_body_with_its_marked_lead_and_no_title(name, page, rec, lead):
    got = parse_article(_fragment(page, lead), rec["url"])
    assert got.title is None and got.id == rec["id"] and got.url == rec["url"]
    assert (got.body, got.body_html) == (rec["body"], rec["body_html"])
    assert [vars(i) for i in got.images] == rec["images"]
    assert got.sapo == (rec["sapo"] if lead else "")
    assert got.author == rec["author"]
    assert "title: missing" in got.extraction.warnings
    assert ("sapo: missing" in got.extraction.warnings) is not lead


def test_fragment_without_url_or_marked_lead():
    frag = ('<p>Đoạn mở đầu, không đánh dấu là sapo.</p>\n<p>Đoạn hai có <a href="https://laodongthudo.vn/'
            'bai-khac-123.html">liên kết</a>.</p>\n').encode()
    got = parse_article(frag, "")
    assert (got.url, got.id, got.title, got.sapo) == (None, None, None, "")
    assert got.body == "Đoạn mở đầu, không đánh dấu là sapo.\n\nĐoạn hai có liên kết."
    assert {"url: unknown", "title: missing", "sapo: missing"} <= set(got.extraction.warnings)


def test_fragment_cut_inside_is_truncated():
    name, page, rec = TEMPLATED[0]
    frag = _fragment(page, lead=True)
    last = rec["body"].split("\n\n")[-1][:30].encode()
    with pytest.raises(TruncatedPage):
        parse_article(frag[: frag.rfind(last) + 12], rec["url"])
    with pytest.raises(TruncatedPage):  # between two paragraphs, the container still open
        parse_article(frag[: frag.rfind(last)], rec["url"])
