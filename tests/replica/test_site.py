"""Links, pagination, discovery aids and the seed page of the replica."""

import json
import re
import unicodedata
from collections import deque
from urllib.parse import urlsplit

import lxml.html
import pytest

from scraper.parsing.model import RECORD_KEYS, Article
from scraper.text import clean_text
from scraper.replica.content import CATEGORIES, SEED_ID
from scraper.urls import article_id

from .conftest import EXPECTED, REPO, SITE, STATES, page_bytes, routes

BASE = "https://laodongthudo.vn"
SEED_TXT = REPO / "scraper" / "replica" / "content" / "seed-ra-soat-bang-cap-chuyen-mon.txt"


def _links(state, path):
    doc = lxml.html.fromstring(page_bytes(state, path))
    return [a.get("href") for a in doc.iter("a") if a.get("href")], doc


def _path(url):
    p = urlsplit(url)
    return p.path + (("?" + p.query) if p.query else "")


def _article_paths(state):
    return {p for p, r in routes(state).items() if article_id(BASE + p) and r["status"] == 200}


def _is_listing(path):
    root = path.split("&")[0]
    return root == "/" or root.strip("/") in dict(CATEGORIES)


@pytest.mark.parametrize("state", STATES)
def test_pagination_from_home_and_menus_reaches_every_article(state):
    r = routes(state)
    seen, found, queue = {"/"}, set(), deque(["/"])
    while queue:
        path = queue.popleft()
        hrefs, doc = _links(state, path)
        hrefs += [l.get("href") for l in doc.iter("link") if l.get("rel") == "next"]
        for href in hrefs:
            if not href.startswith(BASE):
                continue
            p = _path(href)
            if article_id(href):
                assert p in r and r[p]["status"] == 200, f"{path} links {p} which does not resolve"
                found.add(p)
            elif _is_listing(p) and p not in seen:
                assert p in r and r[p]["status"] == 200, f"{path} links listing {p} which does not resolve"
                seen.add(p)
                queue.append(p)
    assert found == _article_paths(state)


def test_every_category_has_its_pagination_style():
    r = routes("base")
    assert any("&page=" in p for p in r) and any("&s_cond=&BRSR=" in p for p in r) and any("&by-date=" in p for p in r)
    for cat, _ in CATEGORIES:
        assert f"/{cat}" in r and f"/rss_feed/{cat}" in r
    home = page_bytes("base", "/").decode()
    assert '<link rel="next"' in home and 'type="application/rss+xml"' in home
    paging = page_bytes("base", "/cong-doan").decode()
    doc = lxml.html.fromstring(paging)
    last = doc.cssselect("div.__MB_ARTICLE_PAGING.paging a")[-1].get("href")
    assert last == BASE + "/cong-doan&page=2"


@pytest.mark.parametrize("state", STATES)
def test_robots_sitemaps_and_feeds_list_every_article(state):
    r = routes(state)
    robots = page_bytes(state, "/robots.txt").decode()
    assert "Disallow: /apicenter@" in robots
    sitemap = re.search(r"^Sitemap: (\S+)$", robots, re.M).group(1)
    index = page_bytes(state, _path(sitemap)).decode()
    urls = set()
    for loc in re.findall(r"<loc>(.+?)</loc>", index):
        assert _path(loc) in r
        urls |= {_path(u) for u in re.findall(r"<loc>(.+?)</loc>", page_bytes(state, _path(loc)).decode()) if article_id(u)}
    assert urls == _article_paths(state)
    feed = page_bytes(state, "/rss/home.rss").decode()
    assert all(_path(u) in r for u in re.findall(r"<link>(.+?)</link>", feed))


@pytest.mark.parametrize("state", ["base", "day2"])
def test_every_article_link_on_article_pages_resolves(state):
    r = routes(state)
    day2_gone = set()
    if state == "day2":
        ch = json.loads((SITE / "day2" / "changes.json").read_text())
        day2_gone = {_path(v["from"]) for v in ch["redirected"].values()} | {
            p for p in routes("base") if article_id(BASE + p) in ch["deleted"]}
    for path in _article_paths(state):
        hrefs, _ = _links(state, path)
        for href in hrefs:
            if href.startswith(BASE) and article_id(href):
                p = _path(href)
                assert p in r, f"{path} links unknown article {p}"
                assert r[p]["status"] == 200 or p in day2_gone


def test_seed_page_has_every_paragraph_and_no_related_headline_in_body():
    text = unicodedata.normalize("NFC", SEED_TXT.read_text(encoding="utf-8")).split("\n")
    start = text.index("Sáng 16/11, Thành ủy Hà Nội tổ chức Hội nghị quán triệt, triển khai một số văn bản về công tác cán bộ của Ban Thường vụ Thành ủy Hà Nội. Phó Bí thư Thành ủy Nguyễn Văn Phong chủ trì và phát biểu chỉ đạo tại Hội nghị.")
    end = text.index("P.Ngân")
    title = text[0]
    lines = [clean_text(l) for l in text[start:end] if l.strip()]
    captions = [lines[i + 1] for i, l in enumerate(lines) if l == title]
    paragraphs = [l for i, l in enumerate(lines) if l != title and (i == 0 or lines[i - 1] != title)]
    assert len(paragraphs) == 17 and len(captions) == 4
    path = next(p for p in routes("base") if p.endswith(f"-{SEED_ID}.html"))
    doc = lxml.html.fromstring(page_bytes("base", path))
    content = doc.cssselect("div.__MASTERCMS_CONTENT")[0]
    page_paras = [clean_text(p.text_content()) for p in content.iter("p")]
    assert page_paras == paragraphs
    assert [clean_text(t.text_content()) for t in content.cssselect("table.MASTERCMS_TPL_TABLE tr:nth-child(2) td")] == captions
    exp = json.loads((EXPECTED / "base" / f"{SEED_ID}.json").read_text())
    assert exp["body"].split("\n\n") == paragraphs
    assert [i["caption"] for i in exp["images"]] == captions and {i["alt"] for i in exp["images"]} == {title}
    assert exp["author"] == "P.Ngân"
    related = [rl["title"] for rl in exp["related"]]
    assert len(related) == 19 and [rl["block"] for rl in exp["related"]].count("Nên xem") == 7
    for t in related:
        assert t not in exp["body"]
    seed_all = "\n".join(text)
    for t in related[2:]:
        assert t in seed_all
    assert "Có thể bạn quan tâm" in doc.text_content() and "Phiên bản di động" in doc.text_content()


@pytest.mark.parametrize("state", STATES)
def test_expected_records_have_the_record_keys_and_match_pages(state):
    files = sorted((EXPECTED / state).glob("*.json"))
    r = routes(state)
    assert len(files) == len(_article_paths(state)) >= 40
    for f in files:
        rec = json.loads(f.read_text(encoding="utf-8"))
        assert tuple(sorted(rec)) == tuple(sorted(RECORD_KEYS))
        assert Article.from_dict(rec).to_dict() == rec
        assert str(rec["id"]) == f.stem and article_id(rec["url"]) == rec["id"]
        assert r[_path(rec["url"])]["status"] == 200
        page = clean_text(unicodedata.normalize("NFC", lxml.html.fromstring(page_bytes(state, _path(rec["url"]))).text_content()))
        for block in [rec["title"], rec["sapo"], *rec["body"].split("\n\n")]:
            assert block in page, (f.name, block[:60])
        assert rec == json.loads(json.dumps(rec, ensure_ascii=False))
        for key in ("title", "sapo", "body"):
            assert rec[key] == unicodedata.normalize("NFC", rec[key])


def test_day2_changes_are_consistent():
    ch = json.loads((SITE / "day2" / "changes.json").read_text())
    base_ids = {int(f.stem) for f in (EXPECTED / "base").glob("*.json")}
    day2_ids = {int(f.stem) for f in (EXPECTED / "day2").glob("*.json")}
    assert day2_ids == (base_ids | set(ch["new"])) - set(ch["deleted"])
    assert len(ch["new"]) >= 3 and len(ch["edited"]) == 2 and len(ch["deleted"]) == 1 and len(ch["redirected"]) == 1
    for i in ch["edited"]:
        a = json.loads((EXPECTED / "base" / f"{i}.json").read_text())
        b = json.loads((EXPECTED / "day2" / f"{i}.json").read_text())
        assert a["body"] != b["body"] and b["updated_at"] > a["updated_at"]
    for i, move in ch["redirected"].items():
        r = routes("day2")[_path(move["from"])]
        assert r["status"] == 301 and r["location"] == move["to"]
        assert json.loads((EXPECTED / "day2" / f"{i}.json").read_text())["url"] == move["to"]
    home = page_bytes("day2", "/").decode()
    for i in ch["new"]:
        assert f"-{i}.html" in home
    unchanged = base_ids - set(ch["edited"]) - set(ch["deleted"]) - {int(i) for i in ch["redirected"]}
    for i in unchanged:
        assert (EXPECTED / "base" / f"{i}.json").read_bytes() == (EXPECTED / "day2" / f"{i}.json").read_bytes()


def test_seed_visible_text_is_an_in_order_subsequence_of_the_seed_page():
    """Headline to footer, image alts included: what the seed text copy shows, our page shows in that order."""
    path = next(p for p in routes("base") if p.endswith(f"-{SEED_ID}.html"))
    doc = lxml.html.fromstring(page_bytes("base", path))
    for bad in doc.xpath('//script|//style|//head|//header|//nav|//footer|//div[contains(@class,"hna-section-right")]'):
        bad.drop_tree()
    texts = []

    def walk(el):
        if el.tag == "img" and el.get("alt"):
            texts.append(clean_text(el.get("alt")))
        if isinstance(el.tag, str) and el.text and el.text.strip():
            texts.append(clean_text(el.text))
        for child in el:
            walk(child)
        if el.tail and el.tail.strip():
            texts.append(clean_text(el.tail))

    walk(doc.body)
    seed = [clean_text(l) for l in unicodedata.normalize("NFC", SEED_TXT.read_text(encoding="utf-8")).split("\n") if l.strip()]
    i = 0
    for line in seed:
        for j in range(i, len(texts)):
            acc, k = texts[j], j
            while len(acc) < len(line) and k + 1 < len(texts):
                k += 1
                acc += " " + texts[k]
            if acc == line:
                i = k + 1
                break
        else:
            raise AssertionError(f"seed line not found in order: {line[:80]}")
