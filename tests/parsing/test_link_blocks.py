"""Related link lists found by structure (scraper.parsing.link_blocks), and the parser's layers using them."""

from __future__ import annotations

import json
from html import escape

import lxml.html
import pytest
from lxml import etree

from scraper.parsing.article import parse_article
from scraper.parsing.link_blocks import block_name, link_blocks, link_title, precedes
from scraper.parsing.related import not_related_heading, related_heading, step_label

from .conftest import REFERENCE_URL, ROOT, article_page, expected_records

SITE = "https://laodongthudo.vn"
PAGE = f"{SITE}/bai-dang-doc-100001.html"


def art(n: int) -> str:
    return f"{SITE}/bai-so-{n}-{200000 + n}.html"


def card(n: int, title: str | None = None, attr: str | None = None) -> str:
    """A teaser card: thumbnail link, title link, a date and a cut lead (as MasterCMS themes print them)."""
    title = title if title is not None else f"Tiêu đề bài số {n}"
    attr = attr if attr is not None else title
    return (f'<div class="x{n % 3}"><a href="{art(n)}" title="{attr}"><img src="/t{n}.jpg" alt=""></a>'
            f'<h3><a href="{art(n)}" title="{attr}">{title}</a></h3><span>10:0{n % 10} | 05/07/2023</span>'
            f"<p>Tóm tắt của bài số {n} kể lại điều đã xảy ra ...</p></div>")


def items(ns) -> str:
    return "".join(f'<li><a href="{art(n)}">Tiêu đề bài số {n}</a></li>' for n in ns)


BODY = ('<div class="kq7"><p>Đoạn đầu của bài viết, đủ dài để là văn bản của bài báo, với một '
        f'<a href="{art(99)}">liên kết trong câu</a> và một <a href="{SITE}/tag/ha-noi-1.tag">từ khóa</a>.</p>'
        "<p>Đoạn thứ hai của bài viết.</p></div>")


def page(before: str = "", after: str = "", side: str = "", header: str = "", footer: str = "") -> str:
    return (f"<html><head><title>t</title></head><body>{header}<div class='w1'><div class='w2'>"
            f"<div class='w3'><h1>Tiêu đề của bài đang đọc hôm nay</h1><div class='w4'>Dẫn nhập của bài.</div>"
            f"{before}{BODY}{after}</div><div class='w5'>{side}</div></div></div>{footer}</body></html>")


def blocks(html: str, **kw):
    root = lxml.html.document_fromstring(html)
    body = root.find(".//div[@class='kq7']")
    h1 = root.find(".//h1")
    found = link_blocks(root, PAGE, PAGE, body=body, headline=h1, **kw)
    return [(block_name(b, precedes(b.element, body)), [u for u, _ in b.links]) for b in found], found


# --- what is related ---------------------------------------------------------------------------------

def test_heading_less_grid_of_cards_after_the_body():
    got, found = blocks(page(after="<div class='g9'>" + "".join(card(n) for n in range(1, 7)) + "</div>"))
    assert got == [("related", [art(n) for n in range(1, 7)])]
    assert found[0].heading is None
    assert [t for _, t in found[0].links] == [f"Tiêu đề bài số {n}" for n in range(1, 7)]


@pytest.mark.parametrize("heading", ["Đọc thêm", "Tin bài khác", "Cùng chuyên mục", "Tin cùng chuyên mục",
                                     "Bài viết liên quan", "Xem nhiều", "Mới nhất"])
def test_headed_lists_in_containers_nobody_named(heading):
    html = page(after=f"<div class='r1'><div class='r2'>{heading}</div><ul>{items(range(1, 5))}</ul></div>")
    got, found = blocks(html)
    assert got == [(heading, [art(n) for n in range(1, 5)])]


def test_sidebar_boxes_headed_by_a_sub_category_link():
    side = (f"<div class='s1'><h2><a href='{SITE}/suc-khoe/hoat-dong-hoi'>Hoạt động hội</a></h2>"
            f"<div class='s2'>{''.join(card(n) for n in (11, 12, 13))}</div></div>"
            f"<div class='s3'><img src='/ads.jpg'></div>"
            f"<div class='s1'><h2>Video</h2><div class='s2'>{''.join(card(n) for n in (14, 15))}</div></div>")
    got, _ = blocks(page(side=side))
    assert got == [("Hoạt động hội", [art(11), art(12), art(13)]), ("Video", [art(14), art(15)])]


def test_a_box_s_featured_card_opens_its_list():
    box = (f"<div class='f1'><h2>Tin cùng chuyên mục</h2><div class='f2'>{card(1)}</div>"
           f"<ul class='f3'>{items((2, 3, 4))}</ul></div>")
    assert blocks(page(after=box))[0] == [("Tin cùng chuyên mục", [art(n) for n in (1, 2, 3, 4)])]
    # a card in a box of its own, headed, is not the next box's
    two = (f"<div class='f0'><div class='f1'><h2>Tiêu điểm</h2>{card(1)}</div>"
           f"<div class='f1'><h2>Xem nhiều</h2><ul>{items((2, 3, 4))}</ul></div></div>")
    assert blocks(page(side=two))[0] == [("Tiêu điểm", [art(1)]), ("Xem nhiều", [art(2), art(3), art(4)])]


def test_a_grid_laid_out_in_table_rows_is_one_block():
    rows = "".join("<tr>" + "".join(f"<td>{card(n)}</td>" for n in (r, r + 1)) + "</tr>" for r in (1, 3, 5))
    grid = f"<div class='t0'><h3>Bài viết liên quan</h3><table><tbody>{rows}</tbody></table></div>"
    assert blocks(page(after=grid))[0] == [("Bài viết liên quan", [art(n) for n in range(1, 7)])]


def test_box_above_the_body_without_heading_is_inline():
    got, _ = blocks(page(before=f"<div class='a1'><ul>{items((21, 22))}</ul></div>"))
    assert got == [("inline", [art(21), art(22)])]


def test_previous_and_next_links_by_their_labels():
    pn = (f"<div class='p0'><div class='p1'><span>Bài trước đó</span> <a href='{art(31)}'>Bài 31</a></div>"
          f"<div class='p2'><span>Bài sau đó</span> <a href='{art(32)}'>Bài 32</a></div></div>")
    got, _ = blocks(page(after=pn))
    assert got == [("prev", [art(31)]), ("next", [art(32)])]
    lone = f"<div class='p0'><div class='p1'>Bài tiếp theo: <a href='{art(33)}'>Bài 33</a></div></div>"
    assert blocks(page(after=lone))[0] == [("next", [art(33)])]
    assert blocks(page(after=f"<div><a rel='prev' href='{art(34)}'>Bài 34</a></div>"))[0] == [("prev", [art(34)])]


def test_a_lone_link_needs_a_related_heading():
    assert blocks(page(after=f"<div class='o1'><a href='{art(41)}'>Bài 41</a></div>"))[0] == []
    headed = f"<div class='o1'><h3>Tin liên quan</h3><p><a href='{art(41)}'>Bài 41</a></p></div>"
    assert blocks(page(after=headed))[0] == [("Tin liên quan", [art(41)])]


def test_a_lone_card_is_marked_lone():
    _, found = blocks(page(after="<div class='o2'>" + card(42) + "</div>"))
    assert len(found) == 1 and found[0].lone and found[0].links == [(art(42), "Tiêu đề bài số 42")]


# --- what is not -------------------------------------------------------------------------------------

def test_chrome_by_tag_is_not_related():
    header = f"<header><ul>{items(range(51, 56))}</ul></header><nav><ul>{items(range(56, 60))}</ul></nav>"
    footer = f"<footer><h3>Tin mới</h3><ul>{items(range(60, 64))}</ul></footer>"
    assert blocks(page(header=header, footer=footer))[0] == []


def test_chrome_named_by_class_or_id_is_not_related():
    html = page(header=f"<div id='hna-easyTicker'><ul>{items(range(51, 56))}</ul></div>",
                footer=f"<div class='site-footer'><ul>{items(range(60, 64))}</ul></div>",
                side=f"<div class='main-menu'><div>Xem nhiều</div><ul>{items(range(70, 74))}</ul></div>")
    assert blocks(html)[0] == []


def test_a_ticker_without_names_before_the_headline_is_not_related():
    ticker = f"<div class='u1'><div class='u2'><ul class='u3'>{items(range(51, 61))}</ul></div></div>"
    assert blocks(page(header=ticker))[0] == []
    labelled = f"<div class='u1'><span>Dòng sự kiện</span><div><ul>{items(range(51, 56))}</ul></div></div>"
    assert blocks(page(header=labelled))[0] == []
    # after the headline a ticker label still says what it is
    assert blocks(page(after=labelled))[0] == []


def test_a_footer_without_tag_or_name_is_not_related():
    footer = (f"<div class='z1'><div class='z2'><h4>Về chúng tôi</h4><ul>{items((61, 62, 63))}</ul></div>"
              "<p>© 2026 Báo Lao Động Thủ Đô. Giấy phép số 61/GP-BTTTT.</p></div>")
    assert blocks(page(footer=footer))[0] == []
    assert blocks(page(footer=footer.replace("Giấy phép số", "Số")
                       .replace("©", "")))[0] == [("Về chúng tôi", [art(61), art(62), art(63)])]


def test_a_menu_s_featured_articles_before_the_headline_are_not_related():
    mega = "".join(f"<li><a href='{SITE}/cat-{c}'>Mục {c}</a><div><ul>{items(range(c * 10, c * 10 + 3))}</ul></div></li>"
                   for c in (8, 9))
    assert blocks(page(header=f"<div class='m1'><ul>{mega}</ul></div>"))[0] == []


def test_a_headed_sidebar_before_the_headline_is_related():
    side = f"<div class='s0'><div class='s1'><h2>Đọc nhiều</h2><ul>{items((81, 82, 83))}</ul></div></div>"
    html = page().replace("<div class='w3'>", side + "<div class='w3'>")
    assert blocks(html)[0] == [("Đọc nhiều", [art(81), art(82), art(83)])]


def test_tags_paging_other_sites_and_the_page_itself_are_not_related():
    after = (f"<div class='t1'>Tags: <a href='{SITE}/tag/ha-noi-1.tag'>Hà Nội</a> <a href='{SITE}/tag/y-te-2.tag'>Y tế</a></div>"
             f"<div class='t2'><a href='{SITE}/thoi-su&amp;s_cond=&amp;BRSR=16'>2</a> "
             f"<a href='{SITE}/thoi-su&amp;by-date=2026-11-22T09-10'>Xem thêm</a></div>"
             f"<div class='t3'><h3>Tin khác</h3><ul><li><a href='https://dulich.petrotimes.vn/bai-a-584675.html'>A</a></li>"
             f"<li><a href='{PAGE}'>Chính bài này</a></li><li><a href='{PAGE}?utm_source=rss'>Chính bài này</a></li></ul></div>")
    assert blocks(page(after=after))[0] == []


def test_links_in_running_text_outside_the_body_are_not_a_list():
    lead = f"<p class='l1'>Theo <a href='{art(91)}'>bài trước</a>, và <a href='{art(92)}'>bài sau</a>, " + \
        "sự việc đã được cơ quan chức năng xác minh và xử lý theo quy định của pháp luật hiện hành.</p>"
    assert blocks(page(before=lead))[0] == []


def test_links_in_the_body_and_in_known_boxes_are_left_out():
    grid = "<div class='g9'>" + "".join(card(n) for n in range(1, 4)) + "</div>"
    html = page(after=grid)
    root = lxml.html.document_fromstring(html)
    body = root.find(".//div[@class='kq7']")
    assert [u for b in link_blocks(root, PAGE, PAGE, body=body) for u, _ in b.links] == [art(1), art(2), art(3)]
    assert link_blocks(root, PAGE, PAGE, body=body, known=[root.find(".//div[@class='g9']")]) == []
    # without the body: the keyword link of its first paragraph is prose, not a list
    assert [u for b in link_blocks(root, PAGE, PAGE) for u, _ in b.links] == [art(1), art(2), art(3)]


# --- titles ------------------------------------------------------------------------------------------

def test_title_is_the_visible_text_the_attribute_only_fills_in():
    broken = "Tiêu đề bị cắt ngắn bởi"
    got = blocks(page(after="<div class='g9'>" + card(1, "Tiêu đề bị cắt ngắn bởi thuộc tính hỏng", broken)
                      + card(2, "", "Chỉ có thuộc tính") + card(3) + "</div>"))[1]
    assert [t for _, t in got[0].links] == ["Tiêu đề bị cắt ngắn bởi thuộc tính hỏng", "Chỉ có thuộc tính",
                                            "Tiêu đề bài số 3"]
    a = lxml.html.fragment_fromstring(f"<a href='{art(1)}' title='Thuộc tính'>  Chữ   hiện  </a>")
    assert link_title(a) == "Chữ hiện"
    assert link_title(lxml.html.fragment_fromstring("<a title=' Thuộc  tính '><img src='x.jpg'></a>")) == "Thuộc tính"


def _record(template: str) -> dict:
    return next(r for r in (json.loads(p.read_text(encoding="utf-8")) for p in expected_records("base"))
                if r["extraction"]["template"] == template)


def test_template_layer_prefers_the_visible_text_over_a_broken_title_attribute():
    record = _record("mastercms-2026")
    html = article_page("base", record).read_text(encoding="utf-8")
    r = next(r for r in record["related"] if r["block"] == "Nên xem")  # cards: the thumbnail's link first
    cut = r["title"][: len(r["title"]) // 2]
    attr = f'title="{escape(r["title"], quote=True)}"'
    assert attr in html  # the thumbnail's link comes first, titled by the attribute alone
    got = parse_article(html.replace(attr, f'title="{escape(cut, quote=True)}"'), record["url"])
    assert got.extraction.template is not None
    titles = {(x.url, x.block): x.title for x in got.related}
    assert titles[(r["url"], r["block"])] == r["title"]


# --- the layers --------------------------------------------------------------------------------------

def _with_extra_lists(html: str, marker: str) -> str:
    grid = ("<div class='zz1'>" + "".join(card(n) for n in range(1, 5)) + "</div>"
            "<div class='zz2'><div class='zz3'>Tin bài khác</div><ul>" + items((5, 6, 7)) + "</ul></div>")
    assert marker in html
    return html.replace(marker, grid + marker, 1)


def test_template_layer_adds_the_lists_its_selectors_do_not_name():
    record = _record("mastercms-2026")
    html = _with_extra_lists(article_page("base", record).read_text(encoding="utf-8"),
                             '<div class="hna-section-right')
    got = parse_article(html, record["url"]).to_dict()
    assert got["extraction"]["template"] == "mastercms-2026"
    extra = [(r["block"], r["url"]) for r in got["related"] if r["url"].startswith(f"{SITE}/bai-so-")]
    assert extra == [("related", art(n)) for n in range(1, 5)] + [("Tin bài khác", art(n)) for n in (5, 6, 7)]
    # what the template names is unchanged, in the same order
    assert [r for r in got["related"] if not r["url"].startswith(f"{SITE}/bai-so-")] == record["related"]


@pytest.mark.parametrize("template", ["mastercms-2026", "mastercms-2023", "ldtd-2020"])
def test_template_layer_finds_related_boxes_under_class_names_it_does_not_know(template):
    record = _record(template)
    html = article_page("base", record).read_text(encoding="utf-8")
    boxes = ("article-detail-similar", "article-detail-other", "article-detail-relate", "article-read-more", "bx-cat",
             "list_related", "other_news", "box_right")
    for name in boxes:  # a theme that calls its related boxes something else (headline and body as before)
        html = html.replace(f'class="{name} ', f'class="qq{len(name)} ').replace(f'class="{name}"', f'class="qq{len(name)}"')
    got = parse_article(html, record["url"]).to_dict()
    assert got["extraction"]["template"] == template
    assert got["related"] == record["related"]


def _strip(html: str) -> str:
    root = lxml.html.document_fromstring(html)
    for el in root.iter():
        if isinstance(el.tag, str):
            el.attrib.pop("class", None)
            el.attrib.pop("id", None)
    return etree.tostring(root.getroottree(), method="html", encoding="unicode")


def test_generic_layer_reads_the_reference_page_without_its_class_names(reference_html):
    expected = json.loads((ROOT / "tests" / "fixtures" / "reference_expected.json").read_text(encoding="utf-8"))
    got = parse_article(_strip(reference_html.decode("utf-8")), REFERENCE_URL)
    assert got.extraction.strategy == "fallback"
    assert [(r.url, r.title, r.block) for r in got.related] == \
        [(r["url"], r["title"], r["block"]) for r in expected["related"]]


@pytest.mark.parametrize("template", ["mastercms-2026", "mastercms-2023", "ldtd-2020"])
def test_generic_layer_reads_replica_pages_without_their_class_names(template):
    records = [json.loads(p.read_text(encoding="utf-8")) for p in expected_records("base")]
    for record in [r for r in records if r["extraction"]["template"] == template][:4]:
        got = parse_article(_strip(article_page("base", record).read_text(encoding="utf-8")), record["url"])
        assert got.extraction.strategy == "fallback"
        assert [(r.url, r.title, r.block) for r in got.related] == \
            [(r["url"], r["title"], r["block"]) for r in record["related"]], record["url"]


# A theme nobody here wrote (every class meaningless): a logo in an h1, a labelled ticker and a menu with featured
# articles above the headline, a tag box, a related list, a heading-less grid, paging, tabs in the sidebar, a video
# box, and a footer without a tag or a name, with links to the site's own pages.
OTHER_THEME = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Bài thử | Báo X</title></head><body>
<div class="a1"><div class="a2"><h1 class="a3"><a href="https://laodongthudo.vn/"><img src="/logo.png" alt="Lao Động Thủ Đô"></a></h1>
<div class="a4">Thứ Hai, 16/11/2026</div></div>
<div class="a5"><span class="a6">Tin nóng:</span><ul class="a7">
<li><a href="https://laodongthudo.vn/tin-nong-mot-300001.html">Tin nóng một về giá xăng</a></li>
<li><a href="https://laodongthudo.vn/tin-nong-hai-300002.html">Tin nóng hai về thời tiết</a></li>
<li><a href="https://laodongthudo.vn/tin-nong-ba-300003.html">Tin nóng ba về giao thông</a></li></ul></div>
<div class="a8"><ul class="a9"><li><a href="https://laodongthudo.vn/thoi-su">Thời sự</a><div class="b1"><ul>
<li><a href="https://laodongthudo.vn/menu-bai-mot-300011.html">Bài nổi bật thời sự một</a></li>
<li><a href="https://laodongthudo.vn/menu-bai-hai-300012.html">Bài nổi bật thời sự hai</a></li></ul></div></li>
<li><a href="https://laodongthudo.vn/kinh-te">Kinh tế</a></li></ul></div></div>
<div class="c1"><div class="c2">
<div class="c3"><a href="https://laodongthudo.vn/">Trang chủ</a> › <a href="https://laodongthudo.vn/thoi-su">Thời sự</a></div>
<h1 class="c4">Hà Nội khởi công cây cầu mới bắc qua sông Hồng trong năm nay</h1>
<div class="c5">08:30 | 16/11/2026</div>
<div class="c6"><b>(LĐTĐ) Sáng nay, thành phố đã khởi công cây cầu mới.</b></div>
<div class="c7"><p>Đoạn một của bài viết nói về cây cầu mới, với nhiều chi tiết đáng chú ý cho người đọc hôm nay và ngày mai.</p>
<p>Đoạn hai của bài viết tiếp tục nói về tiến độ và kinh phí đầu tư, cùng ý kiến của các chuyên gia giao thông.</p>
<p>Đoạn ba của bài viết kết thúc với những kỳ vọng của người dân hai bên bờ sông về một cây cầu hiện đại.</p>
<p style="text-align:right"><b>Minh An</b></p></div>
<div class="c8">Từ khóa: <a href="https://laodongthudo.vn/tag/cau-1.tag">cầu</a> <a href="https://laodongthudo.vn/tag/song-hong-2.tag">sông Hồng</a></div>
<div class="c9"><div class="d1">Tin cùng chuyên mục</div><ul class="d2">
<li><a href="https://laodongthudo.vn/cung-muc-mot-300021.html">Cùng mục một về đô thị</a> <span>(15/11)</span></li>
<li><a href="https://laodongthudo.vn/cung-muc-hai-300022.html">Cùng mục hai về đô thị</a> <span>(14/11)</span></li>
<li><a href="https://laodongthudo.vn/cung-muc-ba-300023.html">Cùng mục ba về đô thị</a> <span>(13/11)</span></li></ul></div>
<div class="e1">
<div class="e2"><a href="https://laodongthudo.vn/luoi-mot-300031.html"><img src="/1.jpg"></a><a href="https://laodongthudo.vn/luoi-mot-300031.html">Lưới một</a></div>
<div class="e2"><a href="https://laodongthudo.vn/luoi-hai-300032.html"><img src="/2.jpg"></a><a href="https://laodongthudo.vn/luoi-hai-300032.html">Lưới hai</a></div>
<div class="e2"><a href="https://laodongthudo.vn/luoi-ba-300033.html"><img src="/3.jpg"></a><a href="https://laodongthudo.vn/luoi-ba-300033.html">Lưới ba</a></div>
<div class="e2"><a href="https://laodongthudo.vn/luoi-bon-300034.html"><img src="/4.jpg"></a><a href="https://laodongthudo.vn/luoi-bon-300034.html">Lưới bốn</a></div></div>
<div class="f1"><a href="https://laodongthudo.vn/thoi-su&amp;s_cond=&amp;BRSR=16">Xem thêm</a></div>
</div>
<div class="g1">
<div class="g2"><span class="g3 active">Mới nhất</span><span class="g3">Đọc nhiều</span></div>
<div class="g4"><ul><li><a href="https://laodongthudo.vn/moi-mot-300041.html">Mới một</a></li><li><a href="https://laodongthudo.vn/moi-hai-300042.html">Mới hai</a></li></ul></div>
<div class="g4"><ul><li><a href="https://laodongthudo.vn/doc-mot-300051.html">Đọc một</a></li><li><a href="https://laodongthudo.vn/doc-hai-300052.html">Đọc hai</a></li></ul></div>
<div class="g5"><h3>Video</h3><div><a href="https://laodongthudo.vn/video-mot-300061.html">Video một về cầu</a></div><div><a href="https://laodongthudo.vn/video-hai-300062.html">Video hai về cầu</a></div></div>
</div></div>
<div class="h1x"><div class="h2x"><a href="https://laodongthudo.vn/gioi-thieu-12.html">Giới thiệu</a> | <a href="https://laodongthudo.vn/lien-he-13.html">Liên hệ</a> | <a href="https://laodongthudo.vn/quang-cao-14.html">Quảng cáo</a></div>
<p>© Báo Lao Động Thủ Đô. Giấy phép số 61/GP-BTTTT. Tòa soạn: 51 Quán Sứ, Hà Nội.</p></div>
</body></html>
"""


@pytest.mark.parametrize("strip", [False, True], ids=["classes", "stripped"])
def test_generic_layer_on_a_theme_nobody_here_wrote(strip):
    html = _strip(OTHER_THEME) if strip else OTHER_THEME
    got = parse_article(html, f"{SITE}/ha-noi-khoi-cong-cau-moi-300000.html")
    assert got.extraction.strategy == "fallback"
    blocks = {}
    for r in got.related:
        blocks.setdefault(r.block, []).append((r.url.rsplit("-", 1)[1], r.title))
    assert blocks == {
        "Tin cùng chuyên mục": [("300021.html", "Cùng mục một về đô thị"), ("300022.html", "Cùng mục hai về đô thị"),
                                ("300023.html", "Cùng mục ba về đô thị")],
        "related": [("300031.html", "Lưới một"), ("300032.html", "Lưới hai"), ("300033.html", "Lưới ba"),
                    ("300034.html", "Lưới bốn")],
        "Mới nhất": [("300041.html", "Mới một"), ("300042.html", "Mới hai")],
        "Đọc nhiều": [("300051.html", "Đọc một"), ("300052.html", "Đọc hai")],
        "Video": [("300061.html", "Video một về cầu"), ("300062.html", "Video hai về cầu")],
    }


# --- the vocabulary ----------------------------------------------------------------------------------

def test_vocabulary():
    assert related_heading("TIN BÀI KHÁC") == "Tin bài khác"
    assert related_heading("Tin khác cùng chuyên mục") == "Tin khác"
    assert related_heading("Bài viết cùng chuyên mục:") == "Bài viết cùng chuyên mục"
    assert related_heading("Nội dung bài viết") is None
    assert not_related_heading("Dòng sự kiện") and not_related_heading("Tags:") and not not_related_heading("Tin mới")
    assert step_label("Bài trước đó") == "prev" and step_label("Bài tiếp theo:") == "next"
    assert step_label("Bài viết liên quan") is None
