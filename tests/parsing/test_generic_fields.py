"""Every field has a generic layer (issue 10, item 2): a page of a theme no site template knows, saved without
its <head>, still gives its headline, lead, dateline, by-line, category and tags, each from its place around
the headline and the body, and ``extraction.fields`` says which layer gave each field."""

from __future__ import annotations

import pytest

from scraper.parsing.article import parse_article
from scraper.text import parse_vn_datetime

URL = "https://laodongthudo.vn/ha-noi-mo-rong-bep-an-cong-doan-203999.html"
TITLE = "Hà Nội mở rộng mô hình bếp ăn công đoàn cho công nhân"
LEAD = "(LĐTĐ) Liên đoàn Lao động Thành phố khai trương thêm ba bếp ăn công đoàn tại các khu công nghiệp phía Bắc."
PARAS = [
    "Sáng 20/11/2023, tại khu công nghiệp Thăng Long, bếp ăn đầu tiên đã phục vụ hơn năm trăm suất ăn trưa cho "
    "công nhân với giá ưu đãi, lúc 10:45 ngày 20/11/2023 đã kín chỗ.",
    "Mỗi bếp do công đoàn cơ sở và doanh nghiệp cùng hỗ trợ kinh phí, thực đơn thay đổi hằng ngày theo góp ý của "
    "người lao động.",
    "Theo đại diện Liên đoàn, mô hình sẽ được nhân rộng trong năm tới nếu nhận được phản hồi tích cực của người "
    "lao động và doanh nghiệp.",
]
MENU = "".join(f'<li><a href="https://laodongthudo.vn/{c}">{n}</a></li>'
               for c, n in (("thoi-su", "Thời sự"), ("cong-doan", "Công đoàn"), ("kinh-te", "Kinh tế"),
                            ("lao-dong", "Lao động"), ("van-hoa", "Văn hóa"), ("phap-luat", "Pháp luật")))
CRUMBS = ('<div class="q1"><a href="https://laodongthudo.vn/">Trang chủ</a> » '
          '<a href="https://laodongthudo.vn/cong-doan">Công đoàn</a></div>')
TAGS = ('<div class="q9"><span>Từ khóa:</span> <a href="https://laodongthudo.vn/tag/bep-an-cong-doan-1.tag">'
        'bếp ăn công đoàn</a> <a href="https://laodongthudo.vn/tag/cong-nhan-2.tag">công nhân</a></div>')
SIDEBAR = ('<div class="q7"><h3>Xem nhiều</h3><ul>'
           '<li><a href="https://laodongthudo.vn/gia-xang-tang-manh-184688.html">Giá xăng tăng mạnh</a>'
           ' <span>08:00 | 28/11/2023</span></li>'
           '<li><a href="https://laodongthudo.vn/cau-rach-dia-thong-xe-184670.html">Cầu Rạch Đỉa thông xe</a>'
           ' <span>07:00 | 27/11/2023</span></li></ul></div>')


def page(dateline: str = '<span class="q3">15:30 | 20/11/2023</span>', lead: str = f'<div class="q4">{LEAD}</div>',
         author: str = '<p class="q6"><strong>Thu Trang</strong></p>', crumbs: str = CRUMBS,
         section: str = "", head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (f"<!DOCTYPE html><html>{head}<body><div class='q0'><ul>{MENU}</ul></div>{SIDEBAR}{crumbs}"
            f"<div class='q2'><h1>{TITLE}</h1><div class='q8'>{dateline}{section}</div>{lead}"
            f"<div class='q5'>{body}{author}</div>{TAGS}</div>"
            f"<div class='q10'>© Lao Động Thủ Đô</div></body></html>")


def parse(html: str):
    return parse_article(html.encode("utf-8"), URL)


def test_every_field_from_the_page_without_head_or_known_classes():
    rec = parse(page())
    assert rec.extraction.strategy == "fallback"
    assert rec.title == TITLE
    assert rec.sapo == LEAD
    assert rec.body == "\n\n".join(PARAS)  # the lead is never in the body
    assert rec.published_at == "2023-11-20T15:30:00+07:00"
    assert rec.author == "Thu Trang"
    assert (rec.category, rec.category_url) == ("Công đoàn", "https://laodongthudo.vn/cong-doan")
    assert rec.tags == ["bếp ăn công đoàn", "công nhân"]
    assert rec.extraction.fields == {"title": "fallback", "sapo": "fallback", "body": "fallback", "author": "fallback",
                                     "published_at": "fallback", "updated_at": None, "category": "fallback",
                                     "tags": "fallback"}


@pytest.mark.parametrize("shown,expected", [
    ("15:30 | 20/11/2023", "2023-11-20T15:30:00+07:00"),
    ("20/11/2023 15:30", "2023-11-20T15:30:00+07:00"),
    ("20/11/2023 - 15:30", "2023-11-20T15:30:00+07:00"),
    ("Thứ Hai, 20/11/2023 15:30 (GMT+7)", "2023-11-20T15:30:00+07:00"),
    ("<span>15:30</span> | <span>20/11/2023</span>", "2023-11-20T15:30:00+07:00"),  # format_time, format_date
    ("Cập nhật: 20/11/2023 08:30 (GMT+0)", "2023-11-20T15:30:00+07:00"),  # told in Hanoi time
])
def test_dateline_forms(shown, expected):
    assert parse(page(dateline=f"<span>{shown}</span>")).published_at == expected


def test_dateline_above_the_headline():
    html = page(dateline="").replace("<h1>", "<div>15:30 | 20/11/2023</div><h1>")
    assert parse(html).published_at == "2023-11-20T15:30:00+07:00"


def test_no_date_from_the_article_text_or_the_sidebar():
    """The body says "lúc 10:45 ngày 20/11/2023" and the sidebar lists dated articles: neither is the dateline."""
    rec = parse(page(dateline=""))
    assert rec.published_at is None
    assert "published_at: missing" in rec.extraction.warnings
    assert rec.extraction.fields["published_at"] is None


def test_lead_in_bold_opening_the_text():
    html = page(lead="").replace("<div class='q5'>", f"<div class='q5'><p><strong>{LEAD}</strong></p>")
    rec = parse(html)
    assert rec.sapo == LEAD
    assert rec.body == "\n\n".join(PARAS)


def test_lead_named_by_its_class_inside_the_text_box():
    html = page(lead="").replace("<div class='q5'>", f"<div class='q5'><p class='sapo'>{LEAD}</p>")
    rec = parse(html)
    assert rec.sapo == LEAD
    assert LEAD not in rec.body


@pytest.mark.parametrize("line,name", [("<p>Tác giả: Nguyễn Minh Hà</p>", "Nguyễn Minh Hà"),
                                       ("<p><strong>P.Ngân</strong></p>", "P.Ngân"),
                                       ('<p style="text-align:right"><em>Hải Nam</em></p>', "Hải Nam")])
def test_by_line_after_the_text(line, name):
    rec = parse(page(author=line))
    assert rec.author == name
    assert name not in rec.body


def test_section_link_beside_the_dateline_without_a_breadcrumb():
    rec = parse(page(crumbs="", section=' <a href="https://laodongthudo.vn/thoi-su/tin-moi">Tin mới</a>'))
    assert (rec.category, rec.category_url) == ("Tin mới", "https://laodongthudo.vn/thoi-su/tin-moi")


def test_menus_are_not_a_category():
    rec = parse(page(crumbs=""))
    assert rec.category is None and rec.extraction.fields["category"] is None


def test_metadata_still_comes_first_and_says_so():
    head = ('<head><meta property="og:description" content="Mô tả của trang.">'
            '<meta property="article:published_time" content="2023-11-20T08:30:00Z"></head>')
    rec = parse(page(head=head))
    assert rec.sapo == "Mô tả của trang." and rec.published_at == "2023-11-20T15:30:00+07:00"
    assert rec.body == "\n\n".join(PARAS)  # the visible lead is still not body text
    assert rec.extraction.fields["sapo"] == rec.extraction.fields["published_at"] == "metadata"
    assert rec.extraction.fields["title"] == "fallback"


def test_a_logo_headline_is_not_the_title():
    html = page().replace("<div class='q0'>", "<div class='q0'><h1><a href='https://laodongthudo.vn/'>Lao Động Thủ Đô</a></h1>")
    assert parse(html).title == TITLE


@pytest.mark.parametrize("text,expected", [
    ("07:18 | 05/07/2023", "2023-07-05T07:18:00+07:00"),
    ("10:12 - 15/11/2023", "2023-11-15T10:12:00+07:00"),
    ("Thứ năm, 12/03/2020 09:15", "2020-03-12T09:15:00+07:00"),
    ("16/11/2023, 09:30 GMT+7", "2023-11-16T09:30:00+07:00"),
    ("09h30 16/11/2023", "2023-11-16T09:30:00+07:00"),
    ("05/07/2023", "2023-07-05T00:00:00+07:00"),
])
def test_parse_vn_datetime_forms(text, expected):
    assert parse_vn_datetime(text) == expected
    assert parse_vn_datetime(text, require_time=True) == (None if ":" not in text and "h" not in text else expected)


def test_a_fragment_without_classes_keeps_inline_boxes_and_by_line_out_of_its_body():
    """A body as a CMS stores it, its inline related box and author box under class names nobody knows."""
    box = ('<table class="k1"><tr><td><a href="https://laodongthudo.vn/gia-xang-tang-manh-184688.html">Giá xăng tăng '
           'mạnh</a> <a href="https://laodongthudo.vn/cau-rach-dia-thong-xe-184670.html">Cầu Rạch Đỉa thông xe</a>'
           '</td></tr></table>')
    card = ('<table class="k2"><tr><td><a href="https://laodongthudo.vn/ha-noi-xay-cau-184598.html"><img src="t.jpg">'
            '</a></td><td><a href="https://laodongthudo.vn/ha-noi-xay-cau-184598.html">Hà Nội xây cầu</a>'
            '<span>Thành phố thống nhất chủ trương đầu tư ba cây cầu.</span></td></tr></table>')
    html = f"<div class='k0'>{box}<p>{PARAS[0]}</p>{card}<p>{PARAS[1]}</p><p>{PARAS[2]}</p><div class='k3'>Thu Trang</div></div>"
    rec = parse(html)
    assert rec.body == "\n\n".join(PARAS)
    assert rec.author == "Thu Trang"
    assert {r.url.rsplit("-", 1)[-1] for r in rec.related} == {"184688.html", "184670.html", "184598.html"}
