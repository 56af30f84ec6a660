"""The "a day later" state: what changed on the site between the base snapshot and the next day.

- new: three articles published on 25/11/2026, on top of home and their category listings;
- edited: two articles whose text changed, with dateModified / og:updated_time moved on;
- deleted: one article that now answers 404;
- redirected: one article whose slug the editors shortened: the SAME id answers at a new URL, and
  the old URL answers 301 to it (listings, sitemap and RSS link the new URL).
"""

from .articles_b import ARTICLES_B

_BY_ID = {d["id"]: d for d in ARTICLES_B}


def _edit(i: int, modified: str, replace: list[tuple[str, str]], **changes) -> dict:
    d = dict(_BY_ID[i])
    body = d["body"]
    for old, new in replace:
        assert old in body, (i, old)
        body = body.replace(old, new)
    d.update(body=body, modified=modified, **changes)
    return d


EDITED = [
    _edit(202985, "2026-11-25 09:12:00", [
        ("Phiên giao dịch được tổ chức kết hợp trực tiếp và trực tuyến, kết nối tới các điểm cầu tại nhiều quận, huyện.",
         "Phiên giao dịch được tổ chức kết hợp trực tiếp và trực tuyến, kết nối tới 12 điểm cầu tại các quận, huyện, thị xã."),
        ("Người lao động tham gia được tư vấn miễn phí về chính sách bảo hiểm thất nghiệp và học nghề.",
         "Người lao động tham gia được tư vấn miễn phí về chính sách bảo hiểm thất nghiệp và học nghề.\n\n"
         "Kết thúc phiên giao dịch, hơn 1.200 lượt người lao động đã được phỏng vấn, trong đó khoảng 700 người được hẹn đi làm ngay."),
    ], sapo="(LĐTĐ) Phiên giao dịch việc làm tháng 11 do Trung tâm Dịch vụ việc làm Hà Nội tổ chức có hơn 3.200 vị trí tuyển dụng của 64 doanh nghiệp."),
    _edit(203050, "2026-11-25 11:40:00", [
        ("Sau khi trộm được, các đối tượng tháo rời phụ tùng hoặc bán lại cho các cửa hàng cầm đồ ở ngoại thành.",
         "Sau khi trộm được, các đối tượng tháo rời phụ tùng hoặc bán lại cho các cửa hàng cầm đồ ở ngoại thành. "
         "Cơ quan công an đã thu hồi, trả lại 9 xe cho người bị hại."),
    ]),
]

NEW = [
    dict(
        id=203101, cat="thoi-su/tin-moi", date="2026-11-25 08:15:00", author="Phương Anh", tpl="mastercms-2026",
        title="Hà Nội khai mạc kỳ họp cuối năm của HĐND Thành phố",
        sapo="(LĐTĐ) Sáng 25/11, HĐND thành phố Hà Nội khai mạc kỳ họp thường lệ cuối năm, xem xét nhiều nghị quyết quan trọng về kinh tế - xã hội và đầu tư công năm 2027.",
        tags=["HĐND Thành phố", "kỳ họp"],
        inline="top", jsonld=True,
        body="""
Kỳ họp dự kiến diễn ra trong 3 ngày, xem xét các báo cáo về tình hình kinh tế - xã hội năm 2026 và kế hoạch năm 2027.

HĐND Thành phố sẽ dành thời gian chất vấn và trả lời chất vấn về các vấn đề cử tri quan tâm như ô nhiễm không khí, ùn tắc giao thông.

Phát biểu khai mạc, Chủ tịch HĐND Thành phố đề nghị các đại biểu phát huy trí tuệ, tập trung thảo luận để các nghị quyết sớm đi vào cuộc sống.
""",
    ),
    dict(
        id=203105, cat="cong-doan", date="2026-11-25 10:40:00", author="Thanh Tâm", tpl="mastercms-2023",
        title="Trao tặng 100 Mái ấm Công đoàn cho đoàn viên khó khăn về nhà ở",
        sapo="(LĐTĐ) Liên đoàn Lao động thành phố Hà Nội trao hỗ trợ xây mới, sửa chữa 100 Mái ấm Công đoàn cho đoàn viên có hoàn cảnh khó khăn về nhà ở.",
        tags=["Mái ấm Công đoàn", "chăm lo đoàn viên"],
        body="""
Mỗi đoàn viên được hỗ trợ 50 triệu đồng để xây mới hoặc 30 triệu đồng để sửa chữa nhà ở.

Nguồn kinh phí được trích từ Quỹ Xã hội Công đoàn Thủ đô và sự đóng góp của các doanh nghiệp, nhà hảo tâm.

Chương trình Mái ấm Công đoàn đã được triển khai nhiều năm, giúp hàng nghìn đoàn viên an cư, yên tâm công tác.
""",
    ),
    dict(
        id=203110, cat="kinh-te", date="2026-11-25 14:00:00", author="Thu Hằng", tpl="mastercms-2026",
        title="Giá vàng trong nước lập đỉnh mới",
        sapo="(LĐTĐ) Chiều 25/11, giá vàng miếng trong nước tăng mạnh, lập đỉnh mới theo đà tăng của giá vàng thế giới.",
        tags=["giá vàng", "thị trường vàng"],
        inline=None,
        body="""
Các doanh nghiệp kinh doanh vàng đồng loạt điều chỉnh tăng giá vàng miếng thêm khoảng 1 triệu đồng mỗi lượng so với đầu phiên.

Giá vàng nhẫn cũng tăng theo, chênh lệch giữa giá mua và giá bán được nới rộng.

Các chuyên gia khuyến cáo người dân cân nhắc khi mua vàng ở vùng giá cao, tránh tâm lý đám đông.
""",
    ),
]

DAY2 = {
    "new": NEW,
    "edited": EDITED,
    "deleted": [203010],
    "redirected": {202962: "xu-phat-vi-pham-nong-do-con-cuoi-tuan"},
}
