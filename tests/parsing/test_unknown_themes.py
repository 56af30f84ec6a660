"""Generic rules found wanting on themes nobody on the team wrote (issue 10, the unseen-markup benchmark):
each test is a small hand-made page showing one rule a real unknown site needs."""

from __future__ import annotations

import json

import pytest

from scraper.parsing.article import TruncatedPage, parse_article

URL = "https://laodongthudo.vn/cong-doan-ho-tro-cong-nhan-don-tet-205001.html"
SITE = "https://laodongthudo.vn"
TITLE = "Công đoàn hỗ trợ công nhân khó khăn đón Tết"
PARAS = [
    "Chiều 20/11, Liên đoàn Lao động Thành phố tổ chức chương trình thăm hỏi, tặng quà công nhân lao động có hoàn "
    "cảnh khó khăn đang làm việc tại khu công nghiệp Thăng Long.",
    "Mỗi suất quà trị giá một triệu đồng gồm tiền mặt và nhu yếu phẩm, tổng kinh phí của chương trình hơn năm "
    "trăm triệu đồng từ quỹ xã hội của tổ chức Công đoàn.",
    "Thời gian tới, Liên đoàn sẽ tiếp tục phối hợp với chính quyền các cấp nắm bắt đời sống, việc làm của người "
    "lao động, kịp thời đề xuất các giải pháp hỗ trợ thiết thực.",
]
MENU = "".join(f'<a href="{SITE}/{c}">{n}</a> | ' for c, n in (("thoi-su", "Thời sự"), ("cong-doan", "Công đoàn"),
                                                                ("kinh-te", "Kinh tế"), ("van-hoa", "Văn hóa")))


def body(paras=PARAS) -> str:
    return "".join(f"<p>{p}</p>" for p in paras)


def parse(html: str, url: str = URL):
    return parse_article(html.encode("utf-8"), url)


# --- a headline that is no h1, on a page that never closes the document --------------------------------

def table_page() -> str:
    return (f"<html><head><title>{TITLE} | Báo Lao Động Thủ Đô</title></head><body>"
            f"<table><tr><td>{MENU}</td></tr><tr><td>"
            f'<div class="tieude"><font size=5><b>{TITLE}</b></font></div>'
            f"<div>10:20 | 17/11/2023</div><div class=noidung>{body()}</div>"
            f"</td></tr><tr><td>© Lao Động Thủ Đô</td></tr></table>")  # (no </body></html>: the theme never writes them)


def test_a_complete_page_without_h1_or_end_tags_is_parsed_with_its_shown_headline():
    rec = parse(table_page())
    assert rec.title == TITLE
    assert rec.body == "\n\n".join(PARAS)
    assert rec.extraction.fields["title"] == "fallback"  # the headline shown on the page, not a guess
    assert "page: no </body> or </html> at its end" in rec.extraction.warnings


def test_a_page_without_h1_cut_before_its_headline_is_truncated():
    page = table_page()
    with pytest.raises(TruncatedPage):
        parse(page[:page.index('<div class="tieude">')])


# --- tickers are chrome ------------------------------------------------------------------------------------

def art(n: int, slug: str = "tin") -> str:
    return f"{SITE}/{slug}-{n}-{190000 + n}.html"


def links(ns, sep=" • ") -> str:
    return sep.join(f'<a href="{art(n)}">Bài báo số {n} về đời sống công nhân Thủ đô</a>' for n in ns)


def header_page(ticker: str, above: str = "") -> str:
    return (f"<html><body><table><tr><td><a href='/'><img src='/logo.gif' alt='Lao Động Thủ Đô'></a></td>"
            f"<td>{MENU}</td></tr><tr><td colspan=2>{ticker}</td></tr></table>"
            f"<table><tr><td>{above}<h1>{TITLE}</h1><div>10:20 | 17/11/2023</div>{body()}"
            f"<h3>Tin liên quan</h3><ul>{''.join(f'<li><a href={art(n)!r}>Bài liên quan số {n}</a></li>' for n in (7, 8))}</ul>"
            f"</td></tr></table></body></html>")


def related_urls(rec) -> dict:
    return {r.url: r.block for r in rec.related}


@pytest.mark.parametrize("ticker", [
    f"<b>Tin mới:</b> <marquee>{links((1, 2, 3))}</marquee>",  # a scrolling ticker, under a related label
    f"<b>Tiêu điểm:</b> {links((4, 5), sep=' - ')}",  # a run of featured links in the header's band
], ids=["marquee", "header-band"])
def test_a_ticker_above_the_headline_is_chrome_not_related(ticker):
    rec = parse(header_page(ticker))
    assert related_urls(rec) == {art(7): "Tin liên quan", art(8): "Tin liên quan"}


def test_a_related_box_above_the_headline_outside_the_header_band_stays_related():
    box = f"<div><h3>Tiêu điểm</h3><ul><li>{links((4,))}</li><li>{links((5,))}</li></ul></div>"
    rec = parse(header_page("", above=box))
    assert related_urls(rec)[art(4)] == "Tiêu điểm" and related_urls(rec)[art(5)] == "Tiêu điểm"


# --- previous/next marked rel="prev"/"next", in a <nav> -----------------------------------------------------

def article_page(after: str = "", meta: str = "") -> str:
    return (f"<html><body><nav class='menu'>{MENU}</nav><article><header><h1>{TITLE}</h1>"
            f"<div class='meta'>{meta}<time>16/11/2023 09:30</time></div></header>"
            f"<div class='content'>{body()}</div>{after}</article>"
            f"<footer>© Lao Động Thủ Đô</footer></body></html>")


def test_links_marked_rel_prev_next_are_the_article_s_neighbours_even_in_a_nav():
    nav = (f"<nav class='article-nav'><div><span>Trang trước</span><a rel='prev' href='{art(1)}'>Bài một</a></div>"
           f"<div><span>Trang sau</span><a rel='next' href='{art(2)}'>Bài hai</a></div></nav>")
    rec = parse(article_page().replace("</article>", "</article>" + nav))
    assert related_urls(rec) == {art(1): "prev", art(2): "next"}


def test_the_menu_in_a_nav_stays_chrome():
    nav = f"<nav>{links((1, 2, 3, 4))}</nav>"
    rec = parse(article_page().replace("</article>", "</article>" + nav))
    assert related_urls(rec) == {}


# --- tags one per list item ---------------------------------------------------------------------------------

def test_every_tag_of_a_list_with_one_tag_link_per_item():
    tags = ("<ul class='article__tags'>" + "".join(
        f"<li><a href='/tag/{slug}-{n}.tag'>#{name}</a></li>"
        for n, (slug, name) in enumerate((("giao-thong", "giao thông xanh"), ("ha-noi", "Hà Nội"), ("xe-buyt", "xe buýt")))) + "</ul>")
    rec = parse(article_page(after=tags))
    assert rec.tags == ["giao thông xanh", "Hà Nội", "xe buýt"]


# --- the section link right above the headline ------------------------------------------------------------

def test_the_section_link_right_before_the_headline_is_the_category():
    column = (f"<div class='x10'><a class='c3' href='{SITE}/y-te/an-toan-thuc-pham'>An toàn thực phẩm</a>"
              f"<h1>{TITLE}</h1><div><span>Thứ sáu, 17/11/2023, 14:05 (GMT+7)</span></div>{body()}"
              f"<div><a href='/tag/ha-noi-1.tag'>Hà Nội</a></div>"
              f"<h3>Tin liên quan</h3><ul><li><a href='{art(7)}'>Bài bảy</a></li><li><a href='{art(8)}'>Bài tám</a></li></ul></div>")
    rec = parse(f"<html><body><div class='top'>{MENU}</div>{column}<div>© Lao Động Thủ Đô</div></body></html>")
    assert (rec.category, rec.category_url) == ("An toàn thực phẩm", f"{SITE}/y-te/an-toan-thuc-pham")


def test_a_menu_link_before_the_headline_with_text_between_is_no_category():
    column = (f"<div class='x10'><a href='{SITE}/y-te'>Y tế</a> Tin nóng hôm nay"
              f"<h1>{TITLE}</h1><div><span>17/11/2023 14:05</span></div>{body()}</div>")
    rec = parse(f"<html><body>{column}</body></html>")
    assert rec.category is None


# --- by-line labels and a name before the dateline ----------------------------------------------------------

@pytest.mark.parametrize("byline", ["Bởi Thanh Hà", "Theo Thanh Hà", "By Thanh Hà", "Tác giả: Thanh Hà",
                                    "Người viết: Thanh Hà"])
def test_a_by_line_s_label_is_not_part_of_the_author_s_name(byline):
    rec = parse(article_page(meta=f"<span class='article__byline'>{byline}</span>"))
    assert rec.author == "Thanh Hà"


def test_a_trailing_source_line_gives_the_source_without_theo():
    rec = parse(article_page().replace("</div></article>", "<p>Theo TTXVN</p></div></article>"))
    assert rec.author == "TTXVN"


def dateline_page(line: str) -> str:
    return (f"<html><body><div class='c'><h1>{TITLE}</h1><div class='m'>{line}</div>"
            f"<p><b>(LĐTĐ) Các đơn vị có thể đặt hàng đào tạo đối với các trường đại học trên địa bàn.</b></p>"
            f"{body()}</div></body></html>")


@pytest.mark.parametrize("line,author", [
    ("<span>Lan Anh</span> <span>-</span> <span>Thứ bảy, 18/11/2023 | 20:15</span>", "Lan Anh"),
    ("<span>Lan Anh - Thứ bảy, 18/11/2023 | 20:15</span>", "Lan Anh"),
    ("<span>Thứ bảy, 18/11/2023 | 20:15</span>", None),
    ("<span>Cập nhật: 18/11/2023 20:15</span>", None),
])
def test_a_name_before_the_dateline_below_the_headline_is_the_author(line, author):
    rec = parse(dateline_page(line))
    assert rec.published_at == "2023-11-18T20:15:00+07:00"
    assert rec.author == author


# --- a caption paragraph right under a lone image -----------------------------------------------------------

IMG = f"{SITE}/stores/news_dataimages/2023/112023/16/09/anh-1.jpg"
CAPTION = "Xe buýt điện tuyến mới đón khách tại bến xe Kim Mã."


@pytest.mark.parametrize("under", [f"<p style='text-align:center'><em>{CAPTION}</em></p>",
                                   f"<p align=center>{CAPTION}</p>", f"<p><i>{CAPTION}</i></p>"],
                         ids=["centred-italic", "align-center", "italic"])
def test_a_short_centred_or_italic_paragraph_under_a_lone_image_is_its_caption(under):
    paras = [*PARAS[:2], f"</p><p style='text-align:center'><img src='{IMG}' alt='Ảnh'></p>{under}<p>{PARAS[2]}"]
    rec = parse(article_page().replace(body(), body(paras)))
    assert [(i.url, i.caption) for i in rec.images] == [(IMG, CAPTION)]
    assert rec.body == "\n\n".join(PARAS)


def test_a_plain_paragraph_under_an_image_stays_body_text():
    paras = [*PARAS[:2], f"</p><p><img src='{IMG}' alt='Ảnh'></p><p>{CAPTION}</p><p>{PARAS[2]}"]
    rec = parse(article_page().replace(body(), body(paras)))
    assert [(i.url, i.caption) for i in rec.images] == [(IMG, "")]
    assert CAPTION in rec.body


# --- previous/next labels in one run of text ---------------------------------------------------------------

def test_previous_and_next_labels_in_one_text_run_make_two_blocks():
    pn = (f"<div class='pn'>« Bài trước: <a href='{art(1)}'>Bài một</a><br>Bài sau: <a href='{art(2)}'>Bài hai</a> »</div>")
    rec = parse(article_page(after=pn))
    assert related_urls(rec) == {art(1): "prev", art(2): "next"}


# --- related rows inside the article's one big table --------------------------------------------------------

def test_related_rows_under_a_heading_row_in_the_article_s_big_table():
    rows = "".join(f"<tr><td class='lq'><img src='/b.gif'> <a href='{art(n)}'>Bài liên quan số {n}</a> "
                   f"<font>(15/11/2023)</font></td></tr>" for n in (1, 2, 3))
    table = (f"<table><tr><td><h1>{TITLE}</h1></td></tr><tr><td>10:20 | 17/11/2023</td></tr>"
             f"<tr><td>{body()}</td></tr><tr><td><b>Tin liên quan</b></td></tr>{rows}"
             f"<tr><td>© Lao Động Thủ Đô, giấy phép số 123/GP-BTTTT</td></tr></table>")
    rec = parse(f"<html><body>{table}</body></html>")
    assert related_urls(rec) == {art(n): "Tin liên quan" for n in (1, 2, 3)}


def test_keyword_links_in_prose_are_still_no_list():
    prose = (f"<p>Người dân có thể xem <a href='{art(1)}'>lịch chạy xe</a> và <a href='{art(2)}'>giá vé</a> "
             f"trên trang của Sở, cùng nhiều thông tin hữu ích khác cho hành khách đi lại hằng ngày.</p>")
    rec = parse(article_page(after=f"<div class='note'>{prose}</div>"))
    assert related_urls(rec) == {}


# --- headings among the items of one box; tab panels named by their tabs -------------------------------------

def sidebar_page(side: str) -> str:
    return (f"<html><body><div class='top'>{MENU}</div><div class='main'><div class='col'><h1>{TITLE}</h1>"
            f"<div>10:20 | 17/11/2023</div>{body()}</div><div class='side'>{side}</div></div>"
            f"<div>© Lao Động Thủ Đô</div></body></html>")


def test_each_heading_among_the_items_of_one_box_starts_a_new_block():
    side = ("<div class='t'>Đọc nhiều</div>" + "".join(f"<div class='i'><a href='{art(n)}'>Bài số {n}</a></div>" for n in (1, 2))
            + "<div class='t'>Mới nhất</div>" + "".join(f"<div class='i'><a href='{art(n)}'>Bài số {n}</a></div>" for n in (3, 4)))
    rec = parse(sidebar_page(side))
    assert related_urls(rec) == {art(1): "Đọc nhiều", art(2): "Đọc nhiều", art(3): "Mới nhất", art(4): "Mới nhất"}


def test_a_card_s_own_text_between_items_does_not_cut_the_list():
    side = ("<h3>Đọc nhiều</h3><div>" + "".join(f"<div class='i'><a href='{art(n)}'>Bài số {n}</a></div>"
                                                 f"<div class='title-note'>Lượt xem cao</div>" for n in (1, 2, 3)) + "</div>")
    rec = parse(sidebar_page(side))
    assert set(related_urls(rec).values()) == {"Đọc nhiều"}


def test_a_tab_panel_takes_the_label_of_the_tab_that_names_it():
    panel = lambda pid, ns, cls: (f"<div class='{cls}' id='{pid}'><ul>" +  # noqa: E731
                                  "".join(f"<li><a href='{art(n)}'>Bài số {n}</a></li>" for n in ns) + "</ul></div>")
    side = ("<div class='tab-box'><ul class='tabs'><li class='on' data-tab='p1'>Mới nhất</li><li data-tab='p2'>Đọc nhiều</li></ul>"
            + panel("p1", (1, 2), "pane on") + panel("p2", (3, 4), "pane") + "</div>")
    rec = parse(sidebar_page(side))
    assert related_urls(rec) == {art(1): "Mới nhất", art(2): "Mới nhất", art(3): "Đọc nhiều", art(4): "Đọc nhiều"}


def test_centred_paragraphs_under_images_of_a_page_centred_throughout_stay_text():
    centred = [f"<p style='text-align:center'>{p}</p>" for p in PARAS]
    html = (centred[0] + f"<p style='text-align:center'><img src='{IMG}' alt='Ảnh'></p>"
            + f"<p style='text-align:center'>{CAPTION}</p>" + centred[1] + centred[2])
    rec = parse(article_page().replace(body(), html))
    assert [(i.url, i.caption) for i in rec.images] == [(IMG, "")]
    assert CAPTION in rec.body


# --- AMP pages: amp-img is an image, amp-ad is never text ---------------------------------------------------

IMG2 = f"{SITE}/stores/news_dataimages/2023/112023/16/09/anh-2.jpg"
CAPTION2 = "Công nhân nhận quà tại nhà văn hóa khu công nghiệp."


def test_amp_images_in_a_figure_and_a_carousel_are_the_article_s_images():
    figure = (f"<figure><amp-img src='{IMG}' width=800 height=533 layout=responsive alt='Ảnh'>"
              f"<noscript><img src='{IMG}'></noscript></amp-img><figcaption>{CAPTION}</figcaption></figure>")
    carousel = (f"<amp-carousel type=slides width=800 height=600><div class='slide'>"
                f"<amp-img src='{IMG2}' width=800 height=533 alt='Ảnh'></amp-img>"
                f"<div class='caption'>{CAPTION2}</div></div></amp-carousel>")
    paras = [PARAS[0], f"</p>{figure}<p>{PARAS[1]}</p>{carousel}<p>{PARAS[2]}"]
    rec = parse(article_page().replace(body(), body(paras)))
    assert [(i.url, i.caption) for i in rec.images] == [(IMG, CAPTION), (IMG2, CAPTION2)]
    assert rec.body == "\n\n".join(PARAS)


def test_an_amp_ad_s_placeholder_is_not_body_text():
    ad = "<amp-ad width=300 height=250 type=adsense><div placeholder>Quảng cáo</div></amp-ad>"
    paras = [PARAS[0], f"</p>{ad}<p>{PARAS[1]}", PARAS[2]]
    rec = parse(article_page().replace(body(), body(paras)))
    assert rec.body == "\n\n".join(PARAS)


# --- a breadcrumb that ends with the article itself ---------------------------------------------------------

@pytest.mark.parametrize("last", [{"name": "Bài viết", "item": URL}, {"name": TITLE, "item": f"{SITE}/bai-viet"}],
                         ids=["same-url", "same-name-as-headline"])
def test_the_category_is_the_last_breadcrumb_item_that_is_not_the_page(last):
    trail = [{"name": "Trang chủ", "item": f"{SITE}/"}, {"name": "Công đoàn", "item": f"{SITE}/cong-doan"},
             {"name": "Hoạt động", "item": f"{SITE}/cong-doan/hoat-dong"}, last]
    ld = {"@context": "https://schema.org", "@type": "BreadcrumbList",
          "itemListElement": [{"@type": "ListItem", "position": i + 1, **c} for i, c in enumerate(trail)]}
    page = article_page().replace("<html><body>", f"<html><head><script type='application/ld+json'>"
                                                  f"{json.dumps(ld, ensure_ascii=False)}</script></head><body>")
    rec = parse(page)
    assert (rec.category, rec.category_url) == ("Hoạt động", f"{SITE}/cong-doan/hoat-dong")


# --- print pages: a picture table named "print-img", the imprint footer, a right-aligned author ----------------

LEGAL = ("Cơ quan của Liên đoàn Lao động thành phố Hà Nội. Giấy phép hoạt động báo điện tử số 120/GP-BTTTT. "
         "Tòa soạn: 51 Quán Sứ, Hoàn Kiếm, Hà Nội. Ghi rõ nguồn khi phát hành lại thông tin từ website này.")


def print_page(inside: str = "", after: str = "") -> str:
    return (f"<html><body><h1>{TITLE}</h1><div>16/11/2023 09:30</div>"
            f"<div class='print-content'>{body([PARAS[0], PARAS[1] + '</p>' + inside + '<p>' + PARAS[2]])}</div>"
            f"{after}</body></html>")


def test_a_table_named_like_chrome_holding_one_picture_and_its_caption_is_a_figure():
    table = (f"<table class='print-img' align='center'><tr><td><img src='{IMG}' alt='Ảnh'></td></tr>"
             f"<tr><td><i>{CAPTION}</i></td></tr></table>")
    rec = parse(print_page(inside=table))
    assert [(i.url, i.caption) for i in rec.images] == [(IMG, CAPTION)]
    assert rec.body == "\n\n".join(PARAS)


def test_a_footer_box_carrying_the_site_s_imprint_is_not_body_however_long():
    footer = "<div class='print-footer'>" + "".join(f"<p>{LEGAL} ({i})</p>" for i in range(6)) + "</div>"
    rec = parse(print_page(after="<p align='right'><b>Thanh Hà</b></p>" + footer))
    assert rec.body == "\n\n".join(PARAS)
    assert rec.author == "Thanh Hà"


def test_a_lone_section_link_in_a_chrome_named_box_right_above_the_headline_is_the_category():
    page = print_page().replace("<body>", f"<body><div class='print-wrap'><div class='print-cat'>"
                                          f"<a href='{SITE}/thoi-su'>Thời sự</a></div>").replace("</body>", "</div></body>")
    rec = parse(page)
    assert (rec.category, rec.category_url) == ("Thời sự", f"{SITE}/thoi-su")


def test_a_by_line_in_the_article_s_own_footer_beside_tags_and_share_links_is_the_author():
    foot = ("<footer class='story__foot'><p class='story__author'>Phương Linh</p>"
            "<ul class='tag-list'><li><a href='/tag/nguon-nhan-luc-500.tag'>nguồn nhân lực</a></li></ul>"
            "<div class='share'><a href='#'>Chia sẻ</a> <a href='#'>In bài</a></div></footer>")
    rec = parse(article_page(after=foot))
    assert rec.author == "Phương Linh"
    assert rec.body == "\n\n".join(PARAS)
