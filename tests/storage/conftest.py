import pytest

from scraper.parsing.model import Article, Extraction, Image, RelatedLink
from scraper.storage import Archive


def make_article(aid=1001, **over) -> Article:
    fields = dict(
        url=f"https://laodongthudo.vn/ra-soat-cong-tac-dao-tao-{aid}.html",
        id=aid,
        title="Rà soát công tác đào tạo cán bộ của Đảng",
        sapo="(LĐTĐ) Hà Nội đẩy mạnh đào tạo, bồi dưỡng đội ngũ cán bộ.",
        body="Thành phố rà soát đội ngũ cán bộ.\n\nCông tác đào tạo được chú trọng trong năm 2026.",
        body_html="<p>Thành phố rà soát đội ngũ cán bộ.</p>\n<p>Công tác đào tạo được chú trọng trong năm 2026.</p>",
        author="Minh Anh",
        published_at="2026-11-20T09:30:00+07:00",
        updated_at=None,
        category="Thời sự",
        category_url="https://laodongthudo.vn/thoi-su",
        tags=["Đào tạo", "Hà Nội"],
        images=[Image("https://laodongthudo.vn/stores/a.jpg", "Hội nghị", "ảnh")],
        related=[RelatedLink("https://laodongthudo.vn/tin-khac-2002.html", "Tin khác", "Tin liên quan", 1)],
        extraction=Extraction("selectors", "mastercms-2026", []),
    )
    fields.update(over)
    return Article(**fields)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "archive.db"


@pytest.fixture
def archive(db_path):
    a = Archive.open(db_path)
    yield a
    a.close()
