"""A synthetic Lao Động Thủ Đô archive: N articles of realistic Vietnamese news text, written through
the real ``Archive`` writes (so the folded columns come from the one ``fold``, and the FTS triggers
index them as in production).

The text is a second-order word Markov chain trained on a small corpus of Vietnamese news sentences
written for this project (below), so word frequencies, diacritics, "đ" and phrase structure look like
the site's. Deterministic for a given seed.

    python -m bench.synth --articles 10000 --db bench/out/synth-10000.db
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from datetime import datetime, timedelta

from scraper.parsing.model import Article, Extraction, Image, RelatedLink
from scraper.parsing.text import HANOI

CORPUS = """
Sáng nay, Thành ủy Hà Nội tổ chức hội nghị rà soát công tác đào tạo, bồi dưỡng cán bộ giai đoạn mới.
Đồng chí Bí thư Thành ủy nhấn mạnh việc xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh là nhiệm vụ then chốt.
Liên đoàn Lao động thành phố Hà Nội đã chăm lo đời sống vật chất, tinh thần cho đoàn viên, người lao động.
Công đoàn cơ sở tích cực đối thoại với người sử dụng lao động để bảo vệ quyền lợi hợp pháp của công nhân.
Theo báo cáo của Sở Kế hoạch và Đầu tư, tăng trưởng kinh tế của Thủ đô đạt mức khá so với cùng kỳ năm trước.
Giá xăng dầu trong nước được điều chỉnh giảm từ 15 giờ chiều nay theo quyết định của liên bộ Công Thương và Tài chính.
Ngân hàng Nhà nước tiếp tục điều hành lãi suất linh hoạt nhằm hỗ trợ doanh nghiệp phục hồi sản xuất kinh doanh.
Thị trường bất động sản có dấu hiệu khởi sắc khi nguồn cung căn hộ chung cư tại Hà Nội tăng mạnh.
Bộ Giáo dục và Đào tạo công bố phương án tổ chức kỳ thi tốt nghiệp trung học phổ thông năm nay.
Nhiều trường đại học tại Hà Nội điều chỉnh học phí và mở rộng chính sách học bổng cho sinh viên.
Sở Y tế Hà Nội khuyến cáo người dân chủ động phòng chống dịch sốt xuất huyết trong mùa mưa.
Bệnh viện Bạch Mai triển khai nhiều kỹ thuật mới trong điều trị, giảm tải cho tuyến trên.
Đại dịch Covid-19 đã để lại nhiều bài học quý về công tác y tế dự phòng và chăm sóc sức khỏe cộng đồng.
Lực lượng cảnh sát giao thông tăng cường kiểm tra, xử lý vi phạm nồng độ cồn trên các tuyến đường.
Tuyến đường sắt đô thị Nhổn - ga Hà Nội dự kiến đưa vào khai thác đoạn trên cao trong thời gian tới.
Ùn tắc giao thông vào giờ cao điểm vẫn là bài toán khó đối với chính quyền thành phố.
Tòa án nhân dân thành phố Hà Nội mở phiên tòa xét xử vụ án lừa đảo chiếm đoạt tài sản.
Công an quận Đống Đa đã bắt giữ đối tượng có hành vi trộm cắp tài sản tại khu dân cư.
Quốc hội thảo luận về dự án Luật Đất đai sửa đổi với nhiều ý kiến đóng góp tâm huyết của đại biểu.
Chính phủ yêu cầu các bộ, ngành đẩy nhanh tiến độ giải ngân vốn đầu tư công ngay từ những tháng đầu năm.
Thủ tướng Chính phủ chỉ đạo tháo gỡ khó khăn, vướng mắc cho các dự án trọng điểm quốc gia.
Lễ hội đền Hùng thu hút đông đảo du khách thập phương về dâng hương tưởng nhớ các Vua Hùng.
Phố cổ Hà Nội nhộn nhịp đón khách du lịch quốc tế dịp cuối năm.
Nghệ sĩ nhân dân chia sẻ tâm huyết gìn giữ và phát huy giá trị văn hóa truyền thống của dân tộc.
Đội tuyển bóng đá Việt Nam giành chiến thắng thuyết phục trước đối thủ trên sân vận động Mỹ Đình.
Huấn luyện viên trưởng đánh giá cao tinh thần thi đấu của các cầu thủ trẻ.
Người lao động tại các khu công nghiệp được hỗ trợ nhà ở xã hội với giá thuê hợp lý.
Chương trình Tết Sum vầy mang đến niềm vui cho hàng nghìn công nhân có hoàn cảnh khó khăn.
Tổng Liên đoàn Lao động Việt Nam đề xuất tăng lương tối thiểu vùng từ ngày 1 tháng 7.
Bảo hiểm xã hội thành phố đẩy mạnh chi trả lương hưu qua tài khoản ngân hàng.
Tình trạng nợ đọng bảo hiểm xã hội tại một số doanh nghiệp gây ảnh hưởng đến quyền lợi người lao động.
Ủy ban nhân dân thành phố ban hành kế hoạch chuyển đổi số trong các cơ quan hành chính nhà nước.
Người dân có thể thực hiện thủ tục hành chính trực tuyến trên Cổng dịch vụ công quốc gia.
Các doanh nghiệp xuất khẩu nông sản đối mặt với nhiều thách thức khi thị trường thế giới biến động.
Giá vàng trong nước tăng mạnh theo đà tăng của giá vàng thế giới.
Chỉ số giá tiêu dùng tháng này tăng nhẹ so với tháng trước do giá lương thực và dịch vụ y tế.
Hà Nội đặt mục tiêu hoàn thành xây dựng nông thôn mới nâng cao tại các huyện ngoại thành.
Mưa lớn kéo dài khiến nhiều tuyến phố nội thành bị ngập úng cục bộ.
Công ty thoát nước Hà Nội huy động nhân lực, phương tiện ứng trực chống ngập.
Ô nhiễm không khí tại Hà Nội ở mức kém, người dân cần hạn chế ra ngoài vào buổi sáng sớm.
Thanh tra thành phố phát hiện nhiều sai phạm trong quản lý đất đai tại một số xã.
Hội đồng nhân dân thành phố thông qua nghị quyết về chính sách hỗ trợ người có công.
Đoàn đại biểu thành phố đến thăm, tặng quà các gia đình chính sách nhân dịp Tết Nguyên đán.
Thế giới đang chứng kiến nhiều biến động địa chính trị ảnh hưởng đến chuỗi cung ứng toàn cầu.
Hội nghị thượng đỉnh bàn về biến đổi khí hậu và phát triển bền vững.
Trường trung học cơ sở tổ chức lễ khai giảng năm học mới trong không khí trang trọng.
Học sinh Hà Nội giành nhiều huy chương tại kỳ thi Olympic quốc tế.
Đề án phát triển công nghiệp văn hóa Thủ đô được kỳ vọng tạo động lực tăng trưởng mới.
Nhà hát Lớn Hà Nội tổ chức đêm nhạc kỷ niệm ngày Giải phóng Thủ đô.
Các cấp công đoàn đã giới thiệu việc làm cho hàng trăm đoàn viên bị mất việc.
Phóng viên Báo Lao động Thủ đô ghi nhận tại hiện trường, lực lượng chức năng đang khẩn trương khắc phục sự cố.
Ngành điện khuyến cáo khách hàng sử dụng điện tiết kiệm, hiệu quả trong những ngày nắng nóng cao điểm.
Giá thịt lợn hơi tăng trở lại sau thời gian dài sụt giảm khiến người chăn nuôi phấn khởi.
Vụ cháy nhà dân trong ngõ nhỏ khiến lực lượng phòng cháy chữa cháy gặp nhiều khó khăn khi tiếp cận.
Hệ thống xe buýt điện được mở rộng thêm nhiều tuyến mới kết nối trung tâm với các khu đô thị vệ tinh.
Dự án cải tạo chung cư cũ được thành phố ưu tiên triển khai để bảo đảm an toàn cho cư dân.
Ngày hội việc làm thu hút hàng chục doanh nghiệp tuyển dụng với mức lương hấp dẫn.
Lao động tự do gặp khó khăn khi tham gia bảo hiểm xã hội tự nguyện vì thu nhập bấp bênh.
Thực phẩm bẩn, không rõ nguồn gốc bị thu giữ tại chợ đầu mối phía Nam.
Đội quản lý thị trường kiểm tra, xử phạt cơ sở kinh doanh hàng giả, hàng nhái.
Người hâm mộ chờ đợi trận chung kết giải vô địch quốc gia diễn ra vào tối thứ Bảy.
Vận động viên điền kinh phá kỷ lục quốc gia tại giải đấu được tổ chức ở Thái Lan.
Triển lãm ảnh tư liệu về Hà Nội xưa thu hút đông đảo người dân và du khách tham quan.
Làng nghề truyền thống gốm sứ Bát Tràng tất bật vào vụ hàng Tết.
Hàng nghìn hộ dân ven sông được di dời đến nơi ở mới an toàn trước mùa bão lũ.
Nhà máy xử lý rác thải phát điện Sóc Sơn giúp giải quyết bài toán rác thải sinh hoạt của thành phố.
Các ngân hàng thương mại đồng loạt giảm lãi suất cho vay mua nhà ở xã hội.
Tập đoàn công nghệ đầu tư trung tâm dữ liệu và trí tuệ nhân tạo tại khu công nghệ cao Hòa Lạc.
Cuộc thi khởi nghiệp sáng tạo dành cho sinh viên nhận được hơn năm trăm dự án dự thi.
Bác sĩ cảnh báo tình trạng trẻ em bị đuối nước gia tăng trong dịp hè.
Chiến dịch tiêm chủng mở rộng bảo đảm trẻ em được tiêm đầy đủ vắc xin phòng bệnh.
Hà Nội xếp hạng chỉ số cải cách hành chính dẫn đầu cả nước.
Phường tổ chức đối thoại với người dân về công tác giải phóng mặt bằng dự án vành đai.
Đường vành đai 4 vùng Thủ đô được khởi công với tổng mức đầu tư hàng chục nghìn tỷ đồng.
Nhiều cây xanh bị gãy đổ sau cơn dông lốc chiều qua, may mắn không có thiệt hại về người.
Quỹ Mái ấm Công đoàn hỗ trợ xây mới, sửa chữa nhà cho đoàn viên khó khăn về nhà ở.
Người lao động được nghỉ lễ Quốc khánh bốn ngày liên tục theo thông báo của Bộ Nội vụ.
Doanh nghiệp dệt may lo thiếu đơn hàng xuất khẩu trong quý cuối năm.
Kim ngạch xuất nhập khẩu của cả nước tăng trưởng hai con số so với cùng kỳ.
Nhiều ý kiến đề nghị siết chặt quản lý hoạt động kinh doanh thương mại điện tử và livestream bán hàng.
"""

PLACES = ["Ba Đình", "Hoàn Kiếm", "Tây Hồ", "Long Biên", "Cầu Giấy", "Đống Đa", "Hai Bà Trưng", "Hoàng Mai",
          "Thanh Xuân", "Hà Đông", "Nam Từ Liêm", "Bắc Từ Liêm", "Sóc Sơn", "Đông Anh", "Gia Lâm", "Thanh Trì",
          "Mê Linh", "Sơn Tây", "Ba Vì", "Phúc Thọ", "Đan Phượng", "Hoài Đức", "Quốc Oai", "Thạch Thất",
          "Chương Mỹ", "Thanh Oai", "Thường Tín", "Phú Xuyên", "Ứng Hòa", "Mỹ Đức", "Hải Phòng", "Đà Nẵng",
          "Thành phố Hồ Chí Minh", "Quảng Ninh", "Nghệ An", "Thanh Hóa", "Bắc Ninh", "Hưng Yên", "Lào Cai",
          "Điện Biên", "Cần Thơ", "Huế", "Khánh Hòa", "Lâm Đồng", "Bình Dương", "Đồng Nai", "Tokyo", "Seoul"]
ORGS = ["Công ty Cổ phần Đầu tư Phát triển", "Hợp tác xã Nông nghiệp", "Trường Tiểu học", "Bệnh viện Đa khoa",
        "Công đoàn ngành Giáo dục", "Ủy ban Mặt trận Tổ quốc", "Trung tâm Y tế", "Ban Quản lý dự án",
        "Công ty TNHH Điện tử", "Hội Nông dân", "Đoàn Thanh niên", "Chi cục Thuế"]
ROLES = ["Chủ tịch", "Phó Chủ tịch", "Giám đốc", "Phó Giám đốc", "Trưởng phòng", "Bí thư", "Hiệu trưởng",
         "Tổng Giám đốc", "Trưởng ban", "chuyên gia kinh tế", "luật sư", "công nhân"]
TEMPLATES = [
    "Theo {role} {person}, {org} {place} đã {verb} {n} {unit} trong năm {year}.",
    "Tại {place}, {org} tổ chức {event} với sự tham gia của {n} {people}.",
    "{Role} {person} cho biết, thời gian tới {org} {place} sẽ tiếp tục {verb} {n} {unit}.",
    "Ông {person}, {role} {org} {place}, chia sẻ: Chúng tôi luôn đặt quyền lợi của {people} lên hàng đầu.",
    "Bà {person} ({age} tuổi, trú tại {place}) cho biết gia đình đã nhận được {n} {unit} hỗ trợ.",
    "Tính đến ngày {day}/{month}/{year}, {place} đã {verb} {n} {unit}, đạt {pct}% kế hoạch.",
]
VERBS = ["hỗ trợ", "giải ngân", "xây dựng", "tiếp nhận", "đào tạo", "giải quyết", "cấp phát", "kiểm tra", "xử lý"]
UNITS = ["tỷ đồng", "triệu đồng", "hồ sơ", "căn hộ", "suất quà", "lao động", "lượt khách", "ha đất", "công trình"]
PEOPLE = ["đoàn viên", "người lao động", "học sinh", "hộ dân", "doanh nghiệp", "cán bộ", "bệnh nhân", "du khách"]
EVENTS = ["hội nghị tổng kết", "lễ ra quân", "buổi tọa đàm", "hội thảo khoa học", "lễ trao quà", "diễn đàn"]

CATEGORIES = [
    ("Thời sự", "thoi-su"), ("Công đoàn", "cong-doan"), ("Kinh tế", "kinh-te"), ("Xã hội", "xa-hoi"),
    ("Văn hóa", "van-hoa"), ("Pháp luật", "phap-luat"), ("Giáo dục", "giao-duc"), ("Y tế", "y-te"),
    ("Thể thao", "the-thao"), ("Quốc tế", "quoc-te"), ("Bất động sản", "bat-dong-san"), ("Đô thị", "do-thi"),
    ("Chính sách", "chinh-sach"), ("Việc làm", "viec-lam"), ("Du lịch", "du-lich"), ("Giao thông", "giao-thong"),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Hữu", "Đức", "Ngọc", "Quang", "Thu", "Hải"]
GIVEN = ["Anh", "Hà", "Hùng", "Lan", "Dũng", "Đạt", "Trang", "Phương", "Sơn", "Thủy", "Nam", "Hiếu", "Đông", "Yến"]
TAGS = ["Hà Nội", "Công đoàn", "người lao động", "đào tạo", "giá vàng", "bất động sản", "giao thông", "y tế",
        "Covid-19", "bảo hiểm xã hội", "Quốc hội", "Thủ tướng", "du lịch", "ô nhiễm", "đoàn viên", "giáo dục"]
AUTHORS = [f"{s} {m} {g}" for s in SURNAMES[:6] for m in MIDDLE[:4] for g in GIVEN[:5]]


class Markov:
    """Second-order word chain over the corpus; sentences start where corpus sentences start."""

    def __init__(self, corpus: str):
        self.next: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.starts: list[tuple[str, str]] = []
        for line in corpus.strip().splitlines():
            words = line.split()
            if len(words) < 3:
                continue
            self.starts.append((words[0], words[1]))
            for a, b, c in zip(words, words[1:], words[2:] + ["\n"]):
                self.next[(a, b)].append(c)
        # let any word continue into any sentence start that begins with it, for variety
        self.by_first: dict[str, list[str]] = defaultdict(list)
        for (a, b), nxt in list(self.next.items()):
            self.by_first[a].append(b)

    def sentence(self, rnd: random.Random, max_words: int = 40) -> str:
        a, b = rnd.choice(self.starts)
        out = [a, b]
        while len(out) < max_words:
            choices = self.next.get((a, b))
            if not choices:
                break
            c = rnd.choice(choices)
            if c == "\n":
                break
            out.append(c)
            a, b = b, c
            # occasional jump to another continuation of the same word: new combinations
            if rnd.random() < 0.15 and self.by_first.get(b):
                c2 = rnd.choice(self.by_first[b])
                if (b, c2) in self.next:
                    out.append(c2)
                    a, b = b, c2
        s = " ".join(out)
        if not s.endswith((".", "!", "?")):
            s = s.rstrip(",;:") + "."
        return s[0].upper() + s[1:]


def person(rnd: random.Random) -> str:
    return f"{rnd.choice(SURNAMES)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}"


def filled(rnd: random.Random) -> str:
    t = rnd.choice(TEMPLATES)
    role = rnd.choice(ROLES)
    return t.format(
        role=role, Role=role[0].upper() + role[1:], person=person(rnd), org=rnd.choice(ORGS),
        place=rnd.choice(PLACES), verb=rnd.choice(VERBS), n=rnd.choice([rnd.randint(2, 99), rnd.randint(100, 9999)]),
        unit=rnd.choice(UNITS), year=rnd.randint(2015, 2026), event=rnd.choice(EVENTS), people=rnd.choice(PEOPLE),
        age=rnd.randint(25, 85), day=rnd.randint(1, 28), month=rnd.randint(1, 12), pct=rnd.randint(40, 120),
    )


def published_at(aid: int, start: datetime, span_days: int, first_id: int = 100000, n: int = 200000) -> datetime:
    """Ids grow with publication time, as on the site: id order is date order, give or take half a day."""
    frac = ((aid - first_id) % n) / n
    jitter = (aid * 2654435761) % 43200
    return (start + timedelta(seconds=int(frac * span_days * 86400) + jitter)).replace(second=0, microsecond=0)


def make_article(chain: Markov, rnd: random.Random, aid: int, start: datetime, span_days: int, n: int = 200000,
                 first_id: int = 100000) -> Article:
    cat, cslug = rnd.choice(CATEGORIES)
    title = chain.sentence(rnd, max_words=rnd.randint(8, 16)).rstrip(".")
    slug = "bai-viet"
    sapo = "(LĐTĐ) " + " ".join(chain.sentence(rnd) for _ in range(rnd.randint(1, 2)))
    paras = []
    for _ in range(rnd.randint(5, 12)):
        paras.append(" ".join(filled(rnd) if rnd.random() < 0.3 else chain.sentence(rnd)
                              for _ in range(rnd.randint(2, 5))))
    body = "\n\n".join(paras)
    rnd.randint(0, span_days * 86400)  # kept: the text stream of a seed stays the same
    published = published_at(aid, start, span_days, first_id, n)
    author = None if rnd.random() < 0.1 else rnd.choice(AUTHORS)
    url = f"https://laodongthudo.vn/{slug}-{aid}.html"
    images = [
        Image(f"https://laodongthudo.vn/stores/news_dataimages/{aid}_{n}.jpg", chain.sentence(rnd, 12), "")
        for n in range(rnd.randint(0, 3))
    ]
    related = [
        RelatedLink(f"https://laodongthudo.vn/{slug}-{max(1, aid - rnd.randint(1, 5000))}.html",
                    chain.sentence(rnd, 12).rstrip("."), "Tin liên quan", n)
        for n in range(1, rnd.randint(1, 4))
    ]
    return Article(
        url=url, id=aid, title=title, sapo=sapo, body=body,
        body_html="\n".join(f"<p>{p}</p>" for p in paras),
        author=author, published_at=published.isoformat(), updated_at=None,
        category=cat, category_url=f"https://laodongthudo.vn/{cslug}",
        tags=rnd.sample(TAGS, rnd.randint(0, 3)), images=images, related=related,
        extraction=Extraction("selectors", "mastercms-2026", []),
    )


def articles(n: int, seed: int = 7, first_id: int = 100000):
    rnd = random.Random(seed)
    chain = Markov(CORPUS)
    start = datetime(2016, 1, 1, tzinfo=HANOI)
    span = (datetime(2026, 11, 1, tzinfo=HANOI) - start).days
    for i in range(n):
        yield make_article(chain, rnd, first_id + i, start, span, n, first_id)


def build(path: str, n: int, seed: int = 7, batch_size: int = 2000, progress: bool = True) -> float:
    """Write n synthetic articles into the archive at path through Archive.save_article. Returns seconds."""
    from scraper.storage import Archive

    t0 = time.perf_counter()
    archive = Archive.open(path)
    fetched = "2026-11-25T10:00:00+07:00"
    try:
        batch = []
        for art in articles(n, seed):
            batch.append(art)
            if len(batch) >= batch_size:
                _write(archive, batch, fetched)
                batch = []
                if progress:
                    done = archive.db.execute("select count(*) from articles").fetchone()[0]
                    print(f"  {done:,} articles, {time.perf_counter() - t0:.0f} s", flush=True)
        if batch:
            _write(archive, batch, fetched)
        archive.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
        archive.db.execute("ANALYZE")
    finally:
        archive.close()
    return time.perf_counter() - t0


def _write(archive, batch, fetched):
    with archive.batch():
        for art in batch:
            archive.save_article(art, fetched_at=fetched)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=10000)
    p.add_argument("--db", required=True)
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args(argv)
    secs = build(a.db, a.articles, a.seed)
    print(f"built {a.articles:,} articles in {secs:.1f} s")


if __name__ == "__main__":
    main()
