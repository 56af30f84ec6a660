"""The real MasterCMS page (suckhoeviet.org.vn, 2026 template): checked by reading the page."""

from __future__ import annotations

import pytest

from scraper.parsing.article import parse_article

from .conftest import REFERENCE_URL


@pytest.fixture(scope="module")
def rec(reference_html):
    return parse_article(reference_html, REFERENCE_URL)


def test_header_fields(rec):
    assert rec.url == REFERENCE_URL and rec.id == 6316
    assert rec.title == 'Mách bạn cách ăn tối chuẩn để có vòng eo "con kiến", giảm 0,5kg/ngày'
    assert rec.sapo == "Với những cách ăn tối chuẩn sau đây, sáng hôm sau thức dậy bạn có thể giảm được đến 0,5kg."
    assert rec.category == "Khỏe - Đẹp"
    assert rec.category_url == "https://suckhoeviet.org.vn/suc-khoe/khoe-dep"
    assert rec.published_at == "2023-07-05T07:18:11+07:00"  # article:published_time (no NewsArticle JSON-LD)
    assert rec.updated_at == "2023-07-05T07:18:11+07:00"  # og:updated_time
    assert rec.author == "Vân Anh/dulich.petrotimes.vn"
    assert rec.tags == ["sức khỏe", "Kiểm soát calo", "Vòng eo con kiến", "https://suckhoeviet.org.vn/",
                        "https://kinhtexaydung.petrotimes.vn/", "https://dulich.petrotimes.vn/"]
    assert rec.extraction.strategy == "selectors"
    assert rec.extraction.template == "mastercms-2026"
    assert rec.extraction.warnings == []


def test_body(rec):
    paras = rec.body.split("\n\n")
    assert len(paras) == 17  # 12 paragraphs, 4 bold subheadings, the source line
    assert paras[0].startswith("Nhiều người vẫn hay truyền tai nhau câu \"hãy ăn sáng như một vị hoàng đế")
    assert paras[3] == "1. Kiểm soát lượng calo nạp vào"  # subheading in <strong>
    assert paras[7] == "2. Sử dụng nhiều protein có nguồn gốc thực vật vào bữa tối"
    assert paras[10] == "3. Bữa tối được ăn tốt nhất vào lúc 7h30 tối"
    assert paras[13] == "4. Khởi động nhẹ nhàng trong 30-60 phút sau bữa tối"
    assert paras[-1] == "Nguồn: Mách bạn cách ăn tối chuẩn để có vòng eo 'con kiến', giảm 0,5kg/ngày"
    # Not body: inline related titles, captions, the author and source lines, tags, related boxes.
    for text in ("Nước ép cần tây", "7 cách đơn giản để cải thiện", "Vân Anh", "9 lợi ích sức khỏe",
                 "Cùng chuyên mục", "Các tin khác", "Tags", "Hoạt động hội", "Xem thêm"):
        assert text not in rec.body
    assert "https://suckhoeviet.org.vn/" not in rec.body  # the captions and the source line


def test_body_html(rec):
    html = rec.body_html
    blocks = html.split("\n")
    assert blocks[3] == "<p><strong>1. Kiểm soát lượng calo nạp vào</strong></p>"
    assert blocks[4].startswith('<figure><img src="https://suckhoeviet.org.vn/stores/news_dataimages/tangnga/072023/04/23/'
                                'mach-ban-cach-an-toi-chuan-de-co-vong-eo-con-kien-giam-05kgngay20230704230915')
    assert blocks[4].endswith("<figcaption>https://suckhoeviet.org.vn/</figcaption></figure>")
    assert blocks[-1] == ('<p><strong>Nguồn: <a href="https://dulich.petrotimes.vn/mach-ban-cach-an-toi-chuan-de-co-vong-eo-con-'
                          'kien-giam-05kgngay-584675.html">Mách bạn cách ăn tối chuẩn để có vòng eo \'con kiến\', giảm 0,5kg/ngày'
                          '</a></strong></p>')
    for bad in ("style=", "class=", "<script", "<table", "Vân Anh", "Nước ép cần tây", "onclick"):
        assert bad not in html


def test_images(rec):
    assert len(rec.images) == 3
    assert all(i.url.startswith("https://suckhoeviet.org.vn/stores/news_dataimages/tangnga/072023/04/23/") for i in rec.images)
    assert all(i.caption == "https://suckhoeviet.org.vn/" for i in rec.images)
    assert all(i.alt == "Mách bạn cách ăn tối chuẩn để có vòng eo 'con kiến', giảm 0,5kg/ngày" for i in rec.images)


def test_related(rec):
    by_block: dict[str, list] = {}
    for r in rec.related:
        by_block.setdefault(r.block, []).append(r)
    assert list(by_block) == ["inline", "Cùng chuyên mục", "Các tin khác", "Hoạt động hội"]
    inline = by_block["inline"]
    assert [(r.title, r.url, r.position) for r in inline] == [
        ("Nước ép cần tây - Lợi ích tuyệt vời cho sức khỏe và làn da",
         "https://suckhoeviet.org.vn/nuoc-ep-can-tay-loi-ich-tuyet-voi-cho-suc-khoe-va-lan-da-6289.html", 1),
        ("7 cách đơn giản để cải thiện hệ tiêu hóa của bạn",
         "https://suckhoeviet.org.vn/7-cach-don-gian-de-cai-thien-he-tieu-hoa-cua-ban-6285.html", 2),
    ]
    same = by_block["Cùng chuyên mục"]
    assert len(same) == 6 and [r.position for r in same] == list(range(1, 7))
    assert same[0].title == "9 lợi ích sức khỏe của quả hồng"
    assert same[0].url == "https://suckhoeviet.org.vn/9-loi-ich-suc-khoe-cua-qua-hong-28730.html"
    assert same[-1].url.endswith("-28692.html")
    other = by_block["Các tin khác"]
    assert len(other) == 10
    assert other[0].title == "Tổng hợp một số loại rau củ có tác dụng hỗ trợ chữa ung thư."
    assert other[-1].title == "Ngủ không đủ giấc, cơn đau đầu dễ tìm đến"
    assert len(by_block["Hoạt động hội"]) == 5  # the sidebar's list
    urls = [r.url for r in rec.related]
    # Not related: the ticker, menus, the "Xem thêm" paging link, the source link in the body, the page itself.
    assert not any("lien-hiep-cac-hoi-khoa-hoc" in u for u in urls)
    assert not any("by-date" in u for u in urls)
    assert not any("petrotimes" in u for u in urls)
    assert REFERENCE_URL_ID_SUFFIX not in urls


REFERENCE_URL_ID_SUFFIX = "https://suckhoeviet.org.vn/mach-ban-cach-an-toi-chuan-de-co-vong-eo-con-kien-giam-05kgngay-6316.html"
