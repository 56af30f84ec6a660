"""The replica's content model: categories and articles, as plain Python data.

Every article is a dict (see articles_a.py for the body mini-language); `load()` turns them into
`Art` objects with derived fields (slug, URL, category names, parsed blocks, image URLs).
All text is NFC. Dates are Hanoi local time ("YYYY-MM-DD HH:MM:SS").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from scraper.text import HANOI, fold

from .articles_a import ARTICLES_A
from .articles_b import ARTICLES_B
from .day2 import DAY2
from .seed import SEED, SEED_ID

BASE = "https://laodongthudo.vn"

# (slug path, name); subcategories are "parent/child".
CATEGORIES = [
    ("thoi-su", "Thời sự"), ("thoi-su/tin-moi", "Tin mới"),
    ("thu-do-van-hien", "Thủ đô văn hiến"),
    ("cong-doan", "Công đoàn"),
    ("lao-dong", "Lao động"), ("lao-dong/viec-lam", "Việc làm"),
    ("kinh-te", "Kinh tế"),
    ("dan-sinh", "Dân sinh"),
    ("bat-dong-san", "Bất động sản"),
    ("phap-luat", "Pháp luật"), ("phap-luat/tin-nong", "Tin nóng"),
    ("van-hoa", "Văn hóa"), ("van-hoa/am-nhac", "Âm nhạc"),
    ("quoc-te", "Quốc tế"),
    ("bon-phuong", "Bốn phương"),
    ("giao-duc", "Giáo dục"),
    ("y-te", "Y tế"), ("y-te/an-toan-thuc-pham", "An toàn thực phẩm"),
    ("the-thao", "Thể thao"),
    ("xe-cong-nghe", "Xe - Công nghệ"),
    ("cong-dong", "Cộng đồng"),
    ("nhip-cau-doanh-nghiep", "Nhịp cầu doanh nghiệp"),
]
CAT_NAME = dict(CATEGORIES)
TOP_CATEGORIES = [c for c, _ in CATEGORIES if "/" not in c]


def subcategories(top: str) -> list[str]:
    return [c for c, _ in CATEGORIES if c.startswith(top + "/")]


# How each category's listing pages are paginated (see README): "paging" = the 2020
# div.__MB_ARTICLE_PAGING.paging with numbered links ({cat}&page=N, next = last <a>),
# "brsr" = {cat}&s_cond=&BRSR={offset} (+ <link rel="next">), "bydate" = "Xem thêm" {cat}&by-date=...
PAGINATION = {
    "cong-doan": "paging", "lao-dong": "paging", "lao-dong/viec-lam": "paging", "giao-duc": "paging",
    "y-te": "paging", "y-te/an-toan-thuc-pham": "paging", "quoc-te": "paging",
    "thoi-su": "brsr", "thoi-su/tin-moi": "brsr", "kinh-te": "brsr", "dan-sinh": "brsr",
    "bat-dong-san": "brsr", "the-thao": "brsr", "nhip-cau-doanh-nghiep": "brsr",
    "thu-do-van-hien": "bydate", "phap-luat": "bydate", "phap-luat/tin-nong": "bydate", "van-hoa": "bydate",
    "van-hoa/am-nhac": "bydate", "bon-phuong": "bydate", "xe-cong-nghe": "bydate", "cong-dong": "bydate",
}
CATEGORY_PAGE_SIZE = 2
HOME_PAGE_SIZE = 10

# The sidebar's "Xem nhiều" (most read) list, the same on every page that shows it.
POPULAR = [184688, 184598, 164585, 184662, 202594, 184612, 202750]

# The clock of each state (Hanoi time): what "now" is when the snapshot was taken.
SNAPSHOT_TIME = {"base": "2026-11-24T18:00:00+07:00", "day2": "2026-11-25T18:00:00+07:00",
                 "redesign": "2026-11-24T18:00:00+07:00"}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def tag_url(name: str) -> str:
    n = int(hashlib.md5(name.encode()).hexdigest()[:8], 16) % 90000 + 10000
    return f"{BASE}/tag/{slugify(name)}-{n}.tag"


def nfc(s):
    return unicodedata.normalize("NFC", s) if isinstance(s, str) else s


@dataclass
class Block:
    kind: str  # p, h2, h3, ul, quote, img, video, iframe, inline
    text: str = ""  # marked-up text (p, h2, h3, quote); caption for img
    items: list = field(default_factory=list)  # ul items
    url: str = ""  # img/video/iframe
    alt: str = ""


@dataclass
class Art:
    id: int
    title: str
    sapo: str
    cat: str
    date: datetime
    author: str | None
    tpl: str
    tags: list
    blocks: list
    raw: dict
    modified: datetime | None = None
    slug: str = ""
    media: bool = False

    @property
    def path(self) -> str:
        return f"/{self.slug}-{self.id}.{'media' if self.media else 'html'}"

    @property
    def url(self) -> str:
        return BASE + self.path

    @property
    def top(self) -> str:
        return self.cat.split("/")[0]

    @property
    def cat_name(self) -> str:
        return CAT_NAME[self.cat]

    @property
    def cat_url(self) -> str:
        return f"{BASE}/{self.cat}"

    def opt(self, name, default=None):
        return self.raw.get(name, default)


def _dt(s: str) -> datetime:
    return datetime.strptime(s, "%Y-%m-%d %H:%M:%S").replace(tzinfo=HANOI)


def image_url(art_id: int, date: datetime, author: str | None, name: str, k: int) -> str:
    stamp = date.strftime("%Y%m%d%H%M") + f"{10 + 7 * k:02d}"
    if date.year >= 2024:
        return (f"{BASE}/stores/news_dataimages/{date:%Y}/{date:%m%Y}/{date:%d}/{date:%H}/"
                f"{name}{stamp}.jpg?rt={stamp}")
    uploader = re.sub(r"[^a-z]", "", fold(author or "ldtd")) or "ldtd"
    n = int(hashlib.md5(f"{art_id}{name}".encode()).hexdigest()[:6], 16) % 9000 + 1000
    return f"{BASE}/stores/news_dataimages/{uploader}/{date:%m%Y}/{date:%d}/{date:%H}/{n}_{name}.jpg"


def parse_body(text: str, art: dict, date: datetime) -> list[Block]:
    blocks: list[Block] = []
    k = 0
    for chunk in re.split(r"\n\s*\n", nfc(text).strip()):
        lines = [l.strip() for l in chunk.strip().split("\n") if l.strip()]
        if not lines:
            continue
        first = lines[0]
        if first.startswith("- "):
            blocks.append(Block("ul", items=[l[2:].strip() for l in lines]))
        elif first.startswith("!img "):
            parts = [p.strip() for p in first[5:].split("|")]
            k += 1
            blocks.append(Block("img", text=parts[1] if len(parts) > 1 else "",
                                url=image_url(art["id"], date, art.get("author"), parts[0], k),
                                alt=parts[2] if len(parts) > 2 else nfc(art["title"])))
        elif first.startswith("!video "):
            blocks.append(Block("video", url=first[7:].strip()))
        elif first.startswith("!iframe "):
            blocks.append(Block("iframe", url=first[8:].strip()))
        elif first == "!inline":
            blocks.append(Block("inline"))
        elif first.startswith("### "):
            blocks.append(Block("h3", text=" ".join(lines)[4:]))
        elif first.startswith("## "):
            blocks.append(Block("h2", text=" ".join(lines)[3:]))
        elif first.startswith("> "):
            blocks.append(Block("quote", text=" ".join(l.lstrip("> ") for l in lines)))
        else:
            blocks.append(Block("p", text=" ".join(lines)))
    return blocks


def make_art(d: dict) -> Art:
    d = {k: nfc(v) for k, v in d.items()}
    date = _dt(d["date"])
    a = Art(id=d["id"], title=d["title"], sapo=d["sapo"], cat=d["cat"], date=date,
            author=d.get("author"), tpl=d["tpl"], tags=[nfc(t) for t in d.get("tags", [])],
            blocks=parse_body(d["body"], d, date), raw=d,
            modified=_dt(d["modified"]) if d.get("modified") else None,
            media=bool(d.get("media")))
    a.slug = d.get("slug") or slugify(a.title)
    return a


def base_articles() -> list[Art]:
    return [make_art(d) for d in [SEED, *ARTICLES_A, *ARTICLES_B]]


def state_articles(state: str) -> list[Art]:
    """The articles live in a state, newest first (ties by id)."""
    arts = base_articles()
    if state == "day2":
        by_id = {a.id: a for a in arts}
        for d in DAY2["edited"]:
            by_id[d["id"]] = make_art(d)
        for i in DAY2["deleted"]:
            del by_id[i]
        for i, slug in DAY2["redirected"].items():
            by_id[i].slug = slug
        for d in DAY2["new"]:
            by_id[d["id"]] = make_art(d)
        arts = list(by_id.values())
    return sorted(arts, key=lambda a: (a.date, a.id), reverse=True)
