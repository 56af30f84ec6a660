"""A synthetic Lao Động Thủ Đô archive at the real archive's scale: N articles of Vietnamese news text
with the real link density, tags, images, earlier versions, and a year of hourly crawl runs with their
``pages`` rows, written into an archive created by ``Archive.open`` (so it has the current schema).

    python -m bench.synth --articles 200000 --db bench/out/big.db        # ~1.5M pages rows, minutes
    ensure_archive(articles=20000, run_days=30) -> (path, meta)         # built once, cached in bench/out/

Text: a second-order word Markov chain over a small corpus of Vietnamese news sentences written for this
project (below), so word frequencies, diacritics, "đ" and phrase structure look like the site's. Each
category draws its sentences from its own fifth of the corpus, so a common word ("đào tạo") is in ~10-30 %
of articles and a person's name in well under 1 % (``HIT_QUERIES``, printed with their hit counts).

Shape, as the replica's pages and the real site have it: ids grow with publication time (``PACE`` a day,
ending at ``END``), ids up to ~203k at 200k articles; ~15.5 related links per article in the parser's
blocks: sidebar lists shared by every article of a day or week ("Xem nhiều", "Nên xem"), the category's
latest ("Tin khác"), the article's own ("inline", "Tin liên quan", "Đọc thêm") and prev/next; 0-3 tags
and images; ~5 % of articles with an earlier version. Runs: one backfill a year before ``END`` that
fetched everything published by then, then one incremental run an hour, each storing the hour's new
articles (with their page bodies, as storage keeps them) and ``RECHECKS_PER_RUN`` refetches of the last
three days' articles (no body: unchanged refetches keep none).

Writes are bulk SQL (bench/ may use SQL): the derived columns come from storage's own functions
(``schema.folded``, ``schema.facets``, ``content_hash``), the FTS triggers are off during the load and
the index is built once at the end by ``schema.ensure_search``, then integrity-checked. Deterministic
for a given seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import time
import zlib
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from scraper.parsing.model import Article, Extraction, Image, RelatedLink
from scraper.text import HANOI, fold
from scraper.storage import Archive
from scraper.storage import schema
from scraper.storage.archive import as_record, content_hash
from scraper.storage.read import open_readonly, select_ids

OUT = Path(__file__).parent / "out"
END = datetime(2026, 11, 25, 10, 0, tzinfo=HANOI)  # the newest article; the last hourly run
PACE = 150  # articles a day, as the real site publishes
LAST_ID = 203_000  # the newest article's id at 200k articles: ids are LAST_ID - N + 1 .. LAST_ID
RECHECKS_PER_RUN = 145  # refetches of recent articles per hourly run: ~1.5M pages rows in a year at 200k
RECHECK_DAYS = 3
VERSIONED_SHARE = 0.05
BASE = "https://laodongthudo.vn"
# Benchmark queries with their intended hit rates (the builder prints the counts it got).
HIT_QUERIES = {
    "đào tạo": "common (folded, it also matches đạo, tạo)", "dao tao": "common, folded",
    "giá vàng": "common, ~10-30 %", "xe buýt": "topic, a few %", "Bạch Mai": "place, a few %",
    '"Nguyễn Văn Hùng"': "a name, < 1 %", '"nguyen van hung"': "a name, folded, < 1 %",
}

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


TAGS = TAGS + [p for p in PLACES[:30]] + ["tuyển dụng", "an toàn giao thông", "chuyển đổi số", "nhà ở xã hội",
                                           "xuất khẩu", "lễ hội", "bóng đá", "thời tiết", "phòng cháy", "môi trường"]
BLOCK_SIZES = (("Xem nhiều", 5), ("Nên xem", 3), ("Tin khác", 3))


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
        for (a, b) in list(self.next):
            self.by_first[a].append(b)
        self.jump = 0.05

    def topic(self, k: int, topics: int) -> list[tuple[str, str]]:
        """The sentence starts of topic k: every topics-th corpus sentence (a category's own subjects)."""
        return self.starts[k % topics::topics]

    def sentence(self, rnd: random.Random, max_words: int = 40, starts=None) -> str:
        a, b = rnd.choice(starts or self.starts)
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
            if rnd.random() < self.jump and self.by_first.get(b):
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


def published_at(aid: int, last_id: int = LAST_ID) -> datetime:
    """Ids grow with publication time at PACE a day, the newest (last_id) at END; minutes jittered."""
    offset = (last_id - aid) * 86400 / PACE + (aid * 2654435761) % 600
    return (END - timedelta(seconds=offset)).replace(second=0, microsecond=0)


def url_of(aid: int) -> str:
    return f"{BASE}/bai-viet-{aid}.html"


class Site:
    """What the articles link to: titles so far, each category's latest ids, the day's and week's lists."""

    def __init__(self, first_id: int):
        self.first_id = first_id
        self.titles: dict[int, str] = {}
        self.latest: dict[str, list[int]] = defaultdict(list)
        self.lists: dict[tuple[str, int], list[int]] = {}

    def shared_list(self, rnd: random.Random, block: str, period: int, aid: int, size: int) -> list[int]:
        """The sidebar list every article of this day ("Xem nhiều") or week ("Nên xem") carries."""
        key = (block, period)
        if key not in self.lists:
            pool = range(max(self.first_id - 300, aid - 3 * PACE), aid)
            self.lists[key] = rnd.sample(pool, min(size, len(pool))) if len(pool) else []
            if len(self.lists) > 64:
                self.lists.pop(next(iter(self.lists)))
        return self.lists[key]

    def title(self, aid: int, chain: Markov, rnd: random.Random) -> str:
        return self.titles.get(aid) or chain.sentence(rnd, 12).rstrip(".")


def make_article(chain: Markov, rnd: random.Random, aid: int, site: Site, last_id: int = LAST_ID) -> Article:
    k = rnd.randrange(len(CATEGORIES))
    cat, cslug = CATEGORIES[k]
    starts = chain.topic(k, len(CATEGORIES))
    title = chain.sentence(rnd, max_words=rnd.randint(8, 16), starts=starts).rstrip(".")
    sapo = "(LĐTĐ) " + " ".join(chain.sentence(rnd, starts=starts) for _ in range(rnd.randint(1, 2)))
    paras = []
    for _ in range(rnd.randint(5, 12)):
        paras.append(" ".join(filled(rnd) if rnd.random() < 0.12 else chain.sentence(rnd, starts=starts)
                              for _ in range(rnd.randint(2, 5))))
    body = "\n\n".join(paras)
    published = published_at(aid, last_id)
    author = None if rnd.random() < 0.1 else rnd.choice(AUTHORS)
    images = [Image(f"{BASE}/stores/news_dataimages/{aid}_{n}.jpg", chain.sentence(rnd, 12, starts), "")
              for n in range(rnd.randint(0, 3))]
    day = int(published.timestamp()) // 86400
    linked: list[tuple[str, int]] = []
    for block, size in BLOCK_SIZES:
        if block == "Tin khác":
            ids = site.latest[cat][-size:]
        else:
            ids = site.shared_list(rnd, block, day if block == "Xem nhiều" else day // 7, aid, size)
        linked += [(block, i) for i in ids]
    for block, most in (("inline", 3), ("Tin liên quan", 2), ("Đọc thêm", 1)):
        # the article's own links: older articles, some from before the archive's first id
        linked += [(block, max(1, aid - rnd.randint(1, 20000))) for _ in range(rnd.randint(0, most))]
    linked += [("prev", aid - 1), ("next", aid + 1)] if aid < last_id else [("prev", aid - 1)]
    related, seen, positions = [], set(), defaultdict(int)
    for block, i in linked:
        if (block, i) in seen or i == aid:
            continue
        seen.add((block, i))
        positions[block] += 1
        related.append(RelatedLink(url_of(i), site.title(i, chain, rnd), block, positions[block]))
    site.titles[aid] = title
    site.latest[cat] = site.latest[cat][-2:] + [aid]
    return Article(
        url=url_of(aid), id=aid, title=title, sapo=sapo, body=body,
        body_html="\n".join(f"<p>{p}</p>" for p in paras),
        author=author, published_at=published.isoformat(), updated_at=None,
        category=cat, category_url=f"{BASE}/{cslug}",
        tags=rnd.sample(TAGS, rnd.randint(0, 3)), images=images, related=related,
        extraction=Extraction("selectors", "mastercms-2026", []),
    )


def articles(n: int, seed: int = 7, last_id: int = LAST_ID):
    """n synthetic articles, oldest first, ids last_id - n + 1 .. last_id."""
    rnd = random.Random(seed)
    chain = Markov(CORPUS)
    first = last_id - n + 1
    site = Site(first)
    for aid in range(first, last_id + 1):
        yield make_article(chain, rnd, aid, site, last_id)


# -- the bulk writer ---------------------------------------------------------------------------------

HEADERS = json.dumps({"content-type": "text/html; charset=utf-8"})
CHROME = ("<header><nav>" + "".join(f'<a href="{BASE}/{s}">{c}</a>' for c, s in CATEGORIES) + "</nav></header>")


def _insert(table: str, cols: tuple[str, ...]) -> str:
    return f'INSERT INTO "{table}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'


def page_html(a: Article) -> bytes:
    links = "".join(f'<li><a href="{r.url}">{r.title}</a></li>' for r in a.related)
    return (f"<html><head><title>{a.title}</title></head><body>{CHROME}<h1>{a.title}</h1><p>{a.sapo}</p>"
            f"{a.body_html}<ul>{links}</ul></body></html>").encode()


class Writer:
    """Bulk rows into an archive opened (and migrated) by Archive.open; FTS built once at the end."""

    def __init__(self, path: str):
        archive = Archive.open(path)  # the current schema, by the migrations
        archive.close()
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA cache_size = -200000")
        for trigger in ("articles_ai", "articles_ad", "articles_au"):
            self.db.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
        # every column of this schema's articles table; the row computes each one storage's writes do
        columns = tuple(r[1] for r in self.db.execute("PRAGMA table_info(articles)"))
        self.COLUMNS = {**self.COLUMNS, "articles": columns}
        self.tag_ids: dict[str, int] = {}
        self.page_id = 0
        self.run_id = 0
        self.rows: dict[str, list[tuple]] = defaultdict(list)

    def run(self, started: datetime, mode: str, counts: dict, args: dict) -> int:
        self.run_id += 1
        finished = started + timedelta(seconds=40 + counts.get("requests", 0) // 4)
        self.rows["crawl_runs"].append((
            self.run_id, started.isoformat(), finished.isoformat(), mode, json.dumps(args), "ok",
            counts.get("requests", 0), counts.get("new", 0), counts.get("updated", 0), counts.get("unchanged", 0),
            0, 0, 0, "[]", ", ".join(f"{v} {k}" for k, v in counts.items())))
        return self.run_id

    def page(self, aid: int, at: datetime, run_id: int, body: bytes | None) -> int:
        self.page_id += 1
        digest = None
        if body is not None:
            digest = hashlib.sha256(body).hexdigest()
            self.rows["page_bodies"].append((digest, len(body), "zlib", zlib.compress(body, 1)))
        sha = digest or f"{aid:064x}"
        self.rows["pages"].append((self.page_id, url_of(aid), aid, 200, "text/html; charset=utf-8", HEADERS,
                                   at.isoformat(), sha, run_id, digest))
        return self.page_id

    def article(self, a: Article, fetched: datetime, last_fetched: datetime, page_id: int, run_id: int,
                earlier: Article | None) -> None:
        record = as_record(a)
        row = {c: record.get(c) for c in ("url", "title", "sapo", "body", "body_html", "author", "published_at",
                                          "updated_at", "category", "category_url")}
        row.update(schema.folded(row))
        changed = fetched
        if earlier is not None:
            changed = fetched + timedelta(hours=5)
            old = as_record(earlier)
            self.rows["article_versions"].append((
                a.id, content_hash(old), fetched.isoformat(), changed.isoformat(), earlier.url, earlier.title,
                earlier.sapo, earlier.body, earlier.body_html, earlier.author, earlier.published_at,
                earlier.updated_at, earlier.category, earlier.category_url, page_id, schema.dumps(old)))
        row.update(
            id=a.id, extraction_strategy="selectors", extraction_template="mastercms-2026", extraction_warnings="[]",
            extraction_fields="{}", first_seen_at=fetched.isoformat(), last_fetched_at=last_fetched.isoformat(),
            last_changed_at=changed.isoformat(), content_hash=content_hash(record), gone_at=None, page_id=page_id,
            run_id=run_id, facets=schema.facets(row), word_count=schema.word_count(a.body),
            image_count=len(a.images))
        self.rows["articles"].append(tuple(row.get(c) for c in self.COLUMNS["articles"]))
        for r in a.related:
            linked = int(r.url.rsplit("-", 1)[1].split(".")[0])
            self.rows["related_links"].append((a.id, r.block, r.position, r.url, r.title, linked,
                                               linked if self.first_id <= linked <= self.last_id else None))
        for n, i in enumerate(a.images, 1):
            self.rows["images"].append((a.id, n, i.url, i.caption, i.alt))
        for n, name in enumerate(a.tags, 1):
            if name not in self.tag_ids:
                self.tag_ids[name] = len(self.tag_ids) + 1
                self.db.execute("INSERT INTO tags (id, name, slug) VALUES (?, ?, ?)",
                                [self.tag_ids[name], name, fold(name).replace(" ", "-")])
            self.rows["article_tags"].append((a.id, self.tag_ids[name], n))

    COLUMNS = {
        "crawl_runs": ("id", "started_at", "finished_at", "mode", "args", "outcome", "requests", "new", "updated",
                       "unchanged", "gone", "failed", "rejected", "errors", "summary"),
        "page_bodies": ("sha256", "size", "compression", "data"),
        "pages": ("id", "url", "article_id", "status", "content_type", "headers", "fetched_at", "sha256", "run_id",
                  "body_sha256"),
        "articles": (),  # the archive's own columns (read at open: the schema of the code that opened it)
        "article_versions": ("article_id", "content_hash", "valid_from", "valid_until", "url", "title", "sapo",
                             "body", "body_html", "author", "published_at", "updated_at", "category", "category_url",
                             "page_id", "record"),
        "related_links": ("article_id", "block", "position", "url", "title", "linked_id", "target_id"),
        "images": ("article_id", "position", "url", "caption", "alt"),
        "article_tags": ("article_id", "tag_id", "position"),
    }

    def flush(self) -> None:
        self.db.execute("BEGIN")
        for table, cols in self.COLUMNS.items():  # parents first
            rows = self.rows.pop(table, None)
            if rows:
                verb = "INSERT OR IGNORE" if table == "page_bodies" else "INSERT"
                self.db.executemany(verb + _insert(table, cols)[6:], rows)
        self.db.execute("COMMIT")

    def finish(self, path: str) -> dict:
        """Flush, build the FTS index once (and its triggers), check it, ANALYZE."""
        self.flush()
        self.db.close()
        t0 = time.perf_counter()
        archive = Archive.open(path)
        schema.ensure_search(archive.db)  # triggers were dropped: recreates and populates the index once
        archive.db.execute("INSERT INTO articles_fts(articles_fts) VALUES('optimize')")
        archive.db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES('integrity-check', 1)")
        fts = time.perf_counter() - t0
        archive.db.execute("ANALYZE")
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        archive.close()
        return {"fts_seconds": round(fts, 1)}


def build(path: str, n: int, seed: int = 7, progress: bool = True, run_days: int = 0,
          rechecks: int = RECHECKS_PER_RUN) -> float:
    """Write n synthetic articles and run_days of hourly runs (0: only the backfill, enough for search
    benchmarks) into a new archive at path. Returns seconds."""
    t0 = time.perf_counter()
    w = Writer(path)
    last_id = LAST_ID if n <= LAST_ID else n
    w.first_id, w.last_id = last_id - n + 1, last_id
    rnd = random.Random(seed + 1)
    backfill_at = END - timedelta(days=run_days)
    run_args = {"base_url": BASE, "recrawl_days": RECHECK_DAYS, "walk": "incremental"}
    gen = articles(n, seed, last_id)
    pending = next(gen, None)
    # the backfill: everything published by then, in one run
    backfilled = 0
    bf_run = w.run(backfill_at - timedelta(hours=1), "backfill", {}, {"base_url": BASE})
    while pending is not None and datetime.fromisoformat(pending.published_at) <= backfill_at:
        _fetch_new(w, pending, backfill_at - timedelta(minutes=30), bf_run, rnd)
        backfilled += 1
        pending = next(gen, None)
        if len(w.rows["articles"]) >= 2000:
            w.flush()
            if progress:
                print(f"  backfill: {backfilled:,} articles, {time.perf_counter() - t0:.0f} s", flush=True)
    w.flush()
    w.db.execute("UPDATE crawl_runs SET requests = ?, new = ?, summary = ? WHERE id = ?",
                 [backfilled, backfilled, f"{backfilled} new", bf_run])
    # hourly incremental runs: the hour's new articles, and refetches of the last three days'
    recent: list[int] = list(range(max(w.first_id, w.first_id + backfilled - RECHECK_DAYS * PACE),
                                   w.first_id + backfilled))
    hour = backfill_at
    while hour < END:
        hour += timedelta(hours=1)
        new = []
        while pending is not None and datetime.fromisoformat(pending.published_at) <= hour:
            new.append(pending)
            pending = next(gen, None)
        checks = rnd.sample(recent, min(rechecks, len(recent)))
        run = w.run(hour, "incremental", {"requests": len(new) + len(checks) + 12, "new": len(new),
                                          "unchanged": len(checks)}, run_args)
        for aid in checks:
            w.page(aid, hour + timedelta(seconds=rnd.randint(5, 50)), run, None)
        for a in new:
            _fetch_new(w, a, hour + timedelta(seconds=rnd.randint(5, 50)), run, rnd)
            recent.append(a.id)
        recent = recent[-RECHECK_DAYS * PACE:]
        if len(w.rows["pages"]) >= 20000:
            w.flush()
            if progress and hour.hour == 0 and hour.day == 1:
                print(f"  runs: {hour:%Y-%m}, {w.run_id:,} runs, {w.page_id:,} pages, "
                      f"{time.perf_counter() - t0:.0f} s", flush=True)
    if progress:
        print(f"  rows written, {time.perf_counter() - t0:.0f} s; building the full-text index ...", flush=True)
    w.finish(path)
    return time.perf_counter() - t0


def _fetch_new(w: Writer, a: Article, at: datetime, run_id: int, rnd: random.Random) -> None:
    earlier = None
    if rnd.random() < VERSIONED_SHARE:  # fetched first in an earlier state, changed later
        earlier = Article(**{**vars(a), "title": a.title + " (cập nhật)", "body": a.body.rsplit("\n\n", 1)[0]})
    page_id = w.page(a.id, at, run_id, page_html(a))
    last = at + timedelta(hours=rnd.randint(0, RECHECK_DAYS * 24))
    w.article(a, at, min(last, END), page_id, run_id, earlier)


def ensure_archive(articles: int, run_days: int = 365, seed: int = 7, progress: bool = True) -> tuple[Path, dict]:
    """The archive for these parameters from bench/out/, built first if missing (or half-built)."""
    OUT.mkdir(exist_ok=True)
    path = OUT / f"big-{articles}-d{run_days}-s{seed}.db"
    done = path.with_suffix(".done")
    if path.exists() and done.exists():
        return path, json.loads(done.read_text())
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    print(f"building {articles:,} synthetic articles and {run_days} days of hourly runs into {path} ...",
          flush=True)
    secs = build(str(path), articles, seed, progress=progress, run_days=run_days)
    meta = {"build_seconds": round(secs, 1), "bytes": path.stat().st_size, **counts(path)}
    done.write_text(json.dumps(meta))
    return path, meta


def counts(path: Path | str) -> dict:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
           for t in ("articles", "related_links", "pages", "page_bodies", "crawl_runs", "article_versions",
                     "images", "article_tags")}
    db.close()
    return out


def hit_counts(path: Path | str, queries=HIT_QUERIES) -> dict[str, int]:
    """How many articles each query matches, through the archive's own search."""
    db = open_readonly(Path(path))
    try:
        return {q: len(select_ids(db.conn, query=q)) for q in queries}
    finally:
        db.close()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=10000)
    p.add_argument("--run-days", type=int, default=365, help="days of hourly runs (default: a year)")
    p.add_argument("--db", help="write here (default: cached in bench/out/, keyed by the parameters)")
    p.add_argument("--seed", type=int, default=7)
    a = p.parse_args(argv)
    if a.db:
        secs = build(a.db, a.articles, a.seed, run_days=a.run_days)
        path, meta = Path(a.db), {"build_seconds": round(secs, 1), **counts(a.db)}
    else:
        path, meta = ensure_archive(a.articles, a.run_days, a.seed)
    print(f"{path}: {path.stat().st_size / 1e6:,.0f} MB, " + ", ".join(f"{k} {v:,}" for k, v in meta.items()))
    n = meta["articles"]
    for q, (hits, why) in zip(HIT_QUERIES, ((h, HIT_QUERIES[q]) for q, h in hit_counts(path).items())):
        print(f"  search {q!r}: {hits:,} articles ({hits / n:.1%}; meant: {why})")


if __name__ == "__main__":
    main()
