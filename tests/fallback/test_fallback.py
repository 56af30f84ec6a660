"""The generic fallback: body without related news on class-less pages, robustness, benchmark floor."""

from __future__ import annotations

import time

import lxml.html
import pytest

from scraper.parsing.fallback import Fallback, extract
from scraper.text import clean_text
from scraper.replica.scoring import load_aeb, metrics, shingle_match

from .conftest import REFERENCE_URL


def _strip_names(root):
    for el in root.iter():
        if isinstance(el.tag, str):
            el.attrib.pop("class", None)
            el.attrib.pop("id", None)
    return root


def _reference_truth(html: bytes):
    """Body paragraphs and related links of the reference page, read with its own class names."""
    root = lxml.html.fromstring(html)
    content = root.xpath('//div[contains(@class,"__MASTERCMS_CONTENT")]')[0]
    paragraphs = [clean_text(p.text_content()) for p in content.xpath("./p")]
    # the final "Nguồn: <link>" credit line is a link, not prose: the fallback may leave it out
    paragraphs = [p for p in paragraphs if p and not p.startswith("Nguồn:")]
    inline = [(a.get("href"), clean_text(a.text_content())) for a in content.xpath('.//table[contains(@class,"__MB_ARTICLE_A")]//a')]
    similar = [(a.get("href"), clean_text(a.text_content()))
               for a in root.xpath('//div[contains(@class,"article-detail-similar")]//h3//a')]
    other = [(a.get("href"), clean_text(a.text_content()))
             for a in root.xpath('//div[contains(@class,"article-detail-other")]//h3//a')]
    return paragraphs, inline, similar, other


def _is_subsequence(needles, hay):
    it = iter(hay)
    return all(any(n == h for h in it) for n in needles)


@pytest.mark.parametrize("strip", [False, True], ids=["with-classes", "classes-stripped"])
def test_reference_page_body_without_related(reference_html, strip):
    paragraphs, inline, similar, other = _reference_truth(reference_html)
    assert len(paragraphs) >= 15 and len(inline) == 2 and similar and other
    root = lxml.html.fromstring(reference_html)
    if strip:
        _strip_names(root)
    fb = extract(root, REFERENCE_URL)
    assert isinstance(fb, Fallback)
    assert fb.title == 'Mách bạn cách ăn tối chuẩn để có vòng eo "con kiến", giảm 0,5kg/ngày'
    assert fb.author == "Vân Anh/dulich.petrotimes.vn"
    # every body paragraph, in order
    assert _is_subsequence(paragraphs, fb.paragraphs), fb.paragraphs
    body = "\n\n".join(fb.paragraphs)
    # no related headline in the body, and each of them in related
    related_urls = {r.url for r in fb.related}
    for url, title in inline + similar + other:
        assert title not in body, title
        assert url in related_urls, (url, title)
    inline_rel = [r for r in fb.related if r.block == "inline"]
    assert [r.url for r in inline_rel[:2]] == [u for u, _ in inline]
    blocks = {r.block for r in fb.related}
    assert {"Cùng chuyên mục", "Các tin khác"} <= blocks
    # positions are 1-based per block
    for block in blocks:
        assert [r.position for r in fb.related if r.block == block] == list(
            range(1, 1 + sum(1 for r in fb.related if r.block == block)))
    # the body's images and nothing of the teasers
    assert len(fb.images) == 3 and all("/tangnga/072023/" in i.url for i in fb.images)
    # the safe HTML holds the same blocks
    assert fb.body_html.count("<p>") + fb.body_html.count("<h") >= len(paragraphs)
    assert "<script" not in fb.body_html and "class=" not in fb.body_html
    for _, title in inline + similar:
        assert title not in fb.body_html


PARA = [
    "Sáng 16/11, Thành ủy Hà Nội tổ chức Hội nghị quán triệt, triển khai một số văn bản về công tác cán bộ "
    "của Ban Thường vụ Thành ủy Hà Nội, với sự tham dự của đông đảo đại biểu các quận, huyện, thị xã.",
    "Tham dự Hội nghị có các đồng chí Ủy viên Ban Thường vụ Thành ủy Hà Nội, lãnh đạo các ban, sở, ngành "
    "và đại diện Đảng ủy các xã, phường, thị trấn trên địa bàn thành phố.",
    "Phát biểu chỉ đạo, Phó Bí thư Thành ủy đề nghị các đơn vị, địa phương chú trọng công tác đào tạo, bồi "
    "dưỡng cán bộ cơ sở, không ngừng đổi mới nội dung cũng như phương thức đào tạo cán bộ.",
    "Theo kế hoạch, việc rà soát bằng cấp chuyên môn của đội ngũ cán bộ, công chức cấp xã sẽ được hoàn thành "
    "trong quý I năm sau, làm cơ sở cho việc sắp xếp, bố trí cán bộ phù hợp với năng lực.",
    "Hội nghị cũng đã thông qua một số nội dung quan trọng khác liên quan đến công tác tổ chức, cán bộ, "
    "bảo đảm đúng quy định, đúng quy trình, công khai, minh bạch và dân chủ.",
]
REL1 = [("https://laodongthudo.vn/ha-noi-day-manh-cai-cach-hanh-chinh-nam-2024-190001.html",
         "Hà Nội đẩy mạnh cải cách hành chính năm 2024"),
        ("https://laodongthudo.vn/nang-cao-chat-luong-doi-ngu-can-bo-co-so-190002.html",
         "Nâng cao chất lượng đội ngũ cán bộ cơ sở")]
REL2 = [("https://laodongthudo.vn/cong-doan-thu-do-cham-lo-doi-song-nguoi-lao-dong-190003.html",
         "Công đoàn Thủ đô chăm lo đời sống người lao động"),
        ("https://laodongthudo.vn/hoi-nghi-can-bo-chu-chot-quy-iv-190004.html",
         "Hội nghị cán bộ chủ chốt quý IV"),
        ("https://laodongthudo.vn/tang-cuong-ky-luat-ky-cuong-hanh-chinh-190005.html",
         "Tăng cường kỷ luật, kỷ cương hành chính")]


def _links(items, lead=False):
    out = []
    for u, t in items:
        out.append(f'<li><a href="{u}">{t}</a>' + (f"<span>{t} - mô tả ngắn của bài viết.</span>" if lead else "") + "</li>")
    return "<ul>" + "".join(out) + "</ul>"


def _synthetic_page(variant: str) -> str:
    if variant == "boxes":
        box1 = f"<div><h3>Tin liên quan</h3>{_links(REL1)}</div>"
        box2 = f"<div><div><strong>Nên xem</strong></div>{_links(REL2, lead=True)}</div>"
    else:  # flat: the label and the links are siblings of the paragraphs
        box1 = "<p><strong>Tin liên quan</strong></p>" + "".join(f'<p><a href="{u}">{t}</a></p>' for u, t in REL1)
        box2 = "<p><b>Nên xem:</b></p>" + "".join(f'<p><a href="{u}">{t}</a></p>' for u, t in REL2)
    menu = "".join(f'<a href="https://laodongthudo.vn/{c}">{c}</a> ' for c in ("thoi-su", "kinh-te", "van-hoa"))
    body = (f"<p>{PARA[0]}</p><p>{PARA[1]}</p>{box1}<p>{PARA[2]}</p><p>{PARA[3]}</p>"
            f"{box2}<p>{PARA[4]}</p><p><strong>P.Ngân</strong></p>")
    return (f"<html><head><title>Rà soát bằng cấp - Lao Động Thủ Đô</title></head><body><div>{menu}</div>"
            f"<div><div><h1>Rà soát lại bằng cấp chuyên môn của đội ngũ cán bộ</h1><div>{body}</div></div>"
            f"<div><h2>Xem nhiều</h2>{_links(REL2)}</div></div><div>© Lao Động Thủ Đô</div></body></html>")


@pytest.mark.parametrize("variant", ["boxes", "flat"])
def test_related_boxes_in_the_middle_of_the_text(variant):
    root = lxml.html.fromstring(_synthetic_page(variant))
    fb = extract(root, "https://laodongthudo.vn/ra-soat-lai-bang-cap-chuyen-mon-190000.html")
    assert fb.title == "Rà soát lại bằng cấp chuyên môn của đội ngũ cán bộ"
    assert fb.paragraphs == PARA
    assert fb.author == "P.Ngân"
    body = "\n".join(fb.paragraphs) + fb.body_html
    for _, t in REL1 + REL2:
        assert t not in body
    for label in ("Tin liên quan", "Nên xem", "Xem nhiều"):
        assert label not in body
    by_block = {}
    for r in fb.related:
        by_block.setdefault(r.block.rstrip(":"), []).append((r.url, r.title))
    assert by_block["Tin liên quan"] == REL1
    assert by_block["Nên xem"] == REL2
    assert fb.body_html.startswith("<p>") and fb.body_html.count("<p>") == len(PARA)


def _timed(html, url="https://example.com/a-b-c-123.html"):
    root = lxml.html.fromstring(html) if isinstance(html, str) else html
    t0 = time.perf_counter()
    fb = extract(root, url)
    return fb, time.perf_counter() - t0


@pytest.mark.timeout(30)
@pytest.mark.parametrize("html", [
    "<html></html>",
    "<html><head><title>t</title></head></html>",
    "<html><body></body></html>",
    "<html><body>   \n </body></html>",
    "<p>just one line</p>",
    "<html><body>" + "".join(f'<a href="/x-{i}">link {i}</a>' for i in range(2000)) + "</body></html>",
    "<html><body><script>var a = '<p>not text</p>';</script><!-- a comment --></body></html>",
], ids=["empty-html", "head-only", "empty-body", "blank-body", "fragment", "only-links", "only-script"])
def test_odd_pages_do_not_raise(html):
    fb, _ = _timed(html)
    assert isinstance(fb, Fallback)
    assert isinstance(fb.paragraphs, list) and isinstance(fb.body_html, str)


@pytest.mark.timeout(60)
def test_deep_nesting_does_not_recurse_or_hang():
    depth = 10_000
    html = "<html><body>" + "<div>" * depth + "<p>" + "Deep text, with a sentence. " * 20 + "</p>" + "</div>" * depth + "</body></html>"
    root = lxml.html.fromstring(html)
    fb, dt = _timed(root)
    assert dt < 5
    # built by hand past any parser limit: a tree 10,000 elements deep
    from lxml import etree
    body = etree.Element("body")
    el = body
    for _ in range(depth):
        el = etree.SubElement(el, "div")
    p = etree.SubElement(el, "p")
    p.text = "A paragraph at the bottom of a very deep tree, with enough words to count as text."
    html_root = lxml.html.fromstring("<html><head><title>x</title></head><body></body></html>")
    html_root.replace(html_root.find("body"), body)
    assert sum(1 for _ in html_root.iter()) > depth
    fb, dt = _timed(html_root)
    assert dt < 5
    assert fb.paragraphs == [p.text]


@pytest.mark.timeout(60)
def test_huge_page_is_fast_enough():
    para = "<p>" + "Một câu văn tiếng Việt có dấu, đủ dài để được tính là nội dung. " * 8 + "</p>"
    html = "<html><body><div>" + para * 2000 + "</div></body></html>"  # about 1 MB of text
    fb, dt = _timed(html)
    assert len(fb.paragraphs) == 2000
    assert dt < 10


def _fallback_on_aeb(aeb_dir, limit=None) -> dict:
    """The fallback's body against AEB's ground truth, scored as bench/aeb.py scores it."""
    scores = []
    pages = load_aeb(aeb_dir, limit=limit)
    for _key, url, html, true in pages:
        body = "\n\n".join(extract(lxml.html.fromstring(html), url).paragraphs) if html.strip() else ""
        scores.append(shingle_match(true, body))
    return metrics(scores) | {"pages": len(pages)}


@pytest.mark.timeout(120)
def test_aeb_subset_floor(aeb_dir):
    """A regression floor on the first 20 benchmark pages (all 181: ``python -m bench.aeb``)."""
    m = _fallback_on_aeb(aeb_dir, limit=20)
    assert m["f1"] >= 0.95, m  # 0.972 when written
    assert m["precision"] >= 0.92 and m["recall"] >= 0.96, m


@pytest.mark.timeout(300)
def test_aeb_all_pages_meet_the_target(aeb_dir):
    """All 181 pages: the issue's target is F1 0.93 (0.972 when written; trafilatura 0.960 here)."""
    m = _fallback_on_aeb(aeb_dir)
    assert m["pages"] == 181
    assert m["f1"] >= 0.95, m


def test_hostile_markup_never_reaches_body_html():
    prose = "Một câu văn dài của bài báo, có dấu phẩy và dấu chấm. " * 6
    html = ("<html><body><div><h1>Tiêu đề</h1>"
            f"<p onclick=\"steal()\" style=\"color:red\">{prose}<script>alert(1)</script>"
            "<a href=\"javascript:alert(2)\">liên kết</a> <a href=\"/tin-khac-123.html\" onmouseover=\"x()\">tin</a></p>"
            "<figure><img src=\"javascript:alert(3)\" onerror=\"alert(4)\"><figcaption>chú thích</figcaption></figure>"
            "<video src=\"javascript:alert(5)\"></video><iframe src=\"https://evil.example/\"></iframe>"
            f"<p>{prose}<img src=\"https://laodongthudo.vn/anh.jpg\" alt='\"><script>'></p></div></body></html>")
    fb = extract(lxml.html.fromstring(html), "https://laodongthudo.vn/bai-viet-123.html")
    low = fb.body_html.lower()
    for bad in ("<script", "javascript:", "onclick", "onerror", "onmouseover", "style=", "<iframe", "evil.example"):
        assert bad not in low, bad
    assert '<a href="https://laodongthudo.vn/tin-khac-123.html">tin</a>' in fb.body_html
    assert 'alt="&quot;&gt;&lt;script&gt;"' in fb.body_html
    assert [i.url for i in fb.images] == ["https://laodongthudo.vn/anh.jpg"]
