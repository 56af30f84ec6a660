"""On a page no site template knows, a lead repeated as the first paragraph belongs to `sapo` only."""

from scraper.parsing.article import parse_article

LEAD = "(LĐTĐ) Hà Nội mở rộng mô hình bếp ăn công đoàn cho công nhân khu công nghiệp."
PARAS = [
    "Sáng 20/11, Liên đoàn Lao động Thành phố khai trương thêm ba bếp ăn công đoàn tại các khu công nghiệp phía Bắc.",
    "Mỗi bếp phục vụ khoảng năm trăm suất ăn mỗi ngày với giá ưu đãi, do công đoàn cơ sở và doanh nghiệp cùng hỗ trợ.",
    "Theo đại diện Liên đoàn, mô hình sẽ được nhân rộng trong năm tới nếu nhận được phản hồi tích cực của người lao động.",
]


def page() -> str:
    body = "".join(f"<p>{p}</p>" for p in [LEAD, *PARAS])
    return f"""<!DOCTYPE html><html lang="vi"><head><title>Bếp ăn công đoàn</title>
<meta property="og:description" content="{LEAD}"></head>
<body><main><h1>Bếp ăn công đoàn cho công nhân</h1><article>{body}</article></main></body></html>"""


def test_lead_dropped_from_body_and_body_html_alike():
    rec = parse_article(page(), "https://laodongthudo.vn/bep-an-cong-doan-203999.html")
    assert rec.extraction.strategy == "fallback"
    assert rec.sapo == LEAD
    assert rec.body == "\n\n".join(PARAS)
    assert rec.body_html == "\n".join(f"<p>{p}</p>" for p in PARAS)
