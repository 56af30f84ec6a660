"""Generic rules found wanting on themes nobody on the team wrote (issue 10, the unseen-markup benchmark):
each test is a small hand-made page showing one rule a real unknown site needs."""

from __future__ import annotations

import pytest

from scraper.parsing import TruncatedPage, parse_article

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
