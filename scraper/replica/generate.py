"""Render the replica's content into scraper/replica/site/<state>/ and the expected records.

    python -m scraper.replica.generate            # rewrites the committed output
    python -m scraper.replica.generate --out DIR  # site into DIR/site, expected into DIR/expected

Deterministic: the same content gives byte-identical files. Each state has routes.json mapping the
URL path as the site writes it (MasterCMS puts `&` queries in the path) to
{file, status, content_type, location?}; `file` is relative to the site directory (site/), so the
day2 state points at base files for pages that did not change. The key "*" is the page served
(with its status) for any unknown path.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
from email.utils import format_datetime
from pathlib import Path

from scraper.text import clean_text

from . import templates as T
from .content import (BASE, CAT_NAME, CATEGORIES, CATEGORY_PAGE_SIZE, HOME_PAGE_SIZE, PAGINATION, POPULAR,
                      SNAPSHOT_TIME, Art, state_articles, tag_url)
from .content.day2 import DAY2

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
STATES = ("base", "day2", "redesign")
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


class Ctx:
    """Chooses what each page links to, deterministically, from a pool of articles."""

    def __init__(self, arts: list[Art], pool: list[Art]):
        self.arts = arts  # the state's articles, newest first
        self.pool = sorted(pool, key=lambda a: (a.date, a.id), reverse=True)
        self.by_id = {a.id: a for a in self.pool}
        self.ticker = arts[:5]
        self.second_pages = {}  # category -> URL of its second listing page (filled by plan_listings)

    def _ids(self, ids):
        return [self.by_id[i] for i in ids if i in self.by_id]

    def _same_top(self, a, older=None):
        out = [x for x in self.pool if x.top == a.top and x.id != a.id]
        if older is True:
            out = [x for x in out if x.date < a.date]
        return out

    def inline(self, a: Art) -> list[Art]:
        assert a.opt("inline") != "middle" or any(b.kind == "inline" for b in a.blocks), f"{a.id}: inline=middle needs !inline"
        if a.opt("inline_ids"):
            return self._ids(a.opt("inline_ids"))
        if a.tpl == "mastercms-2026" and a.opt("inline") in ("top", "middle"):
            n = 2
        elif a.tpl == "mastercms-2023" and a.opt("relate", True):
            n = 3 if a.id % 2 else 2
        else:
            return []
        cands = self._same_top(a, older=True) + [x for x in self.pool if x.date < a.date and x.top != a.top]
        cands = cands or [x for x in self.pool if x.id != a.id]
        return cands[:n]

    def nenxem(self, a: Art) -> list[Art]:
        if a.opt("nenxem") is not None:
            return self._ids(a.opt("nenxem"))
        return T.stable_pick(f"nx{a.id}", [x for x in self.pool if x.top != a.top], 5)

    def tinkhac(self, a: Art) -> list[Art]:
        if a.opt("tinkhac") is not None:
            return self._ids(a.opt("tinkhac"))
        out = self._same_top(a)[:6]
        if len(out) < 4:
            rest = [x for x in self.pool if x.id != a.id and x not in out]
            out += T.stable_pick(f"tk{a.id}", rest, 4 - len(out))
        return out

    def end_tables(self, a: Art):
        if not a.opt("end_tables", True):
            return None, []
        cands = [x for x in self.pool if x.id != a.id and x not in self.inline(a)]
        picks = T.stable_pick(f"et{a.id}", cands, 3)
        in_img = picks[0] if a.id % 3 else None
        embed = picks[1:3] if a.id % 2 == 0 else []
        return in_img, embed

    def tinlienquan(self, a: Art) -> list[Art]:
        cands = self._same_top(a, older=True) or self._same_top(a)
        out = cands[:3]
        if len(out) < 2:
            out += T.stable_pick(f"tl{a.id}", [x for x in self.pool if x.id != a.id and x not in out], 3 - len(out))
        return out

    def docthem(self, a: Art) -> list[Art]:
        return T.stable_pick(f"dt{a.id}", [x for x in self.pool if x.id != a.id], 3)

    def prev_next(self, a: Art):
        same = sorted([x for x in self.pool if x.top == a.top] + ([a] if a.id not in self.by_id else []),
                      key=lambda x: (x.date, x.id))
        same = [x if x.id != a.id else a for x in same]
        i = next(k for k, x in enumerate(same) if x.id == a.id)
        prev = same[i - 1] if i > 0 else None
        nxt = same[i + 1] if i + 1 < len(same) else None
        return prev, nxt

    def more_url(self, a: Art) -> str:
        """Where the "Xem thêm" link under "Tin khác" leads: the category's second listing page (a route that exists)."""
        return self.second_pages.get(a.top, f"{BASE}/{a.top}")

    def popular(self, a: Art | None) -> list[Art]:
        return [x for x in self._ids(POPULAR) if a is None or x.id != a.id][:5]


# ---------------------------------------------------------------- expected records
def _clean_attr(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def expected_record(a: Art, related_blocks: list, extraction: dict) -> dict:
    body, bhtml, images = [], [], []
    for b in a.blocks:
        if b.kind in ("p", "h2", "h3", "quote"):
            text = clean_text(T.inline_html(b.text, "text"))
            if not text:
                continue
            body.append(text)
            inner = T.inline_html(b.text, "clean")
            if b.kind == "p":
                bhtml.append(f"<p>{inner}</p>")
            elif b.kind == "quote":
                bhtml.append(f"<blockquote><p>{inner}</p></blockquote>")
            else:
                bhtml.append(f"<{b.kind}>{inner}</{b.kind}>")
        elif b.kind == "ul":
            body += [clean_text(T.inline_html(i, "text")) for i in b.items]
            bhtml.append("<ul>" + "".join(f"<li>{T.inline_html(i, 'clean')}</li>" for i in b.items) + "</ul>")
        elif b.kind == "img":
            images.append({"url": b.url, "caption": clean_text(b.text), "alt": clean_text(b.alt)})
            cap = f"<figcaption>{html.escape(clean_text(b.text), quote=False)}</figcaption>" if b.text else ""
            bhtml.append(f'<figure><img src="{_clean_attr(b.url)}" alt="{_clean_attr(clean_text(b.alt))}">{cap}</figure>')
        elif b.kind == "video":
            bhtml.append(f'<figure><video src="{_clean_attr(b.url)}" controls></video></figure>')
    related, seen, counts = [], set(), {}
    for block, links in related_blocks:
        for url, title in links:
            if url == a.url or (block, url) in seen:
                continue
            seen.add((block, url))
            counts[block] = counts.get(block, 0) + 1
            related.append({"url": url, "title": clean_text(title), "block": block, "position": counts[block]})
    tags = list(dict.fromkeys(clean_text(t) for t in a.tags))
    # 2020 pages carry no og:updated_time nor JSON-LD; every other page (redesign included) does.
    updated = None if (a.tpl == "ldtd-2020" and extraction["strategy"] == "selectors") else (a.modified or a.date).isoformat()
    return {"url": a.url, "id": a.id, "title": clean_text(a.title), "sapo": clean_text(a.sapo),
            "body": "\n\n".join(body), "body_html": "\n".join(bhtml), "author": a.author or None,
            "published_at": a.date.isoformat(), "updated_at": updated, "category": a.cat_name,
            "category_url": a.cat_url, "tags": tags, "images": images, "related": related,
            "extraction": extraction}


def expected_fields(a: Art, redesign: bool) -> dict:
    """extraction.fields: the parser layer that gives each field, by DESIGN.md's record conventions. On a
    template's page its selectors give what the page shows and the metadata the dates (JSON-LD or
    article:*, before the visible date); on the redesign no template matches, so the generic layer reads what
    the page shows (headline, body, by-line, breadcrumb, topics) and the metadata gives the lead
    (og:description, before the visible lead) and the dates. None for a field the record leaves empty."""
    shown = "fallback" if redesign else "selectors"
    return {"title": shown, "sapo": "metadata" if redesign else "selectors", "body": shown,
            "author": shown if a.author else None, "published_at": "metadata",
            "updated_at": None if (a.tpl == "ldtd-2020" and not redesign) else "metadata",
            "category": shown, "tags": shown if a.tags else None}


# ---------------------------------------------------------------- site
def safe_name(path: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._=-]+", "_", path.strip("/")) or "index"
    return name


class Site:
    def __init__(self, state: str, site_dir: Path):
        self.state = state
        self.dir = site_dir
        self.routes: dict[str, dict] = {}

    def put(self, path: str, kind: str, text: str, ctype: str = HTML, status: int = 200, ext: str = ".html"):
        name = safe_name(path)
        if not name.endswith(ext):
            name += ext
        data = text.encode("utf-8")
        rel = f"{self.state}/{kind}/{name}"
        base_file = self.dir / "base" / kind / name
        if self.state != "base" and base_file.is_file() and base_file.read_bytes() == data:
            rel = f"base/{kind}/{name}"  # unchanged from the base state: share its file
        else:
            f = self.dir / rel
            f.parent.mkdir(parents=True, exist_ok=True)
            f.write_bytes(data)
        self.routes[path] = {"file": rel, "status": status, "content_type": ctype}
        return rel

    def link(self, path: str, rel: str, ctype: str = HTML, status: int = 200):
        self.routes[path] = {"file": rel, "status": status, "content_type": ctype}

    def redirect(self, path: str, location: str, status: int = 301):
        self.routes[path] = {"file": None, "status": status, "content_type": HTML, "location": location}

    def write_routes(self):
        out = self.dir / self.state / "routes.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(dict(sorted(self.routes.items())), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def cat_members(arts: list[Art], cat: str) -> list[Art]:
    return [a for a in arts if a.cat == cat or a.cat.startswith(cat + "/")]


def page_url(cat: str, style: str, k: int, size: int, arts: list[Art]) -> str:
    root = f"/{cat}"
    if k == 1:
        return root
    if style == "paging":
        return f"{root}&page={k}"
    if style == "brsr":
        return f"{root}&s_cond=&BRSR={(k - 1) * size}"
    raise ValueError(style)


def second_pages(arts: list[Art]) -> dict[str, str]:
    """Each category's second listing page URL, if it has one."""
    out = {}
    for cat, _ in CATEGORIES:
        members = cat_members(arts, cat)
        if len(members) <= CATEGORY_PAGE_SIZE:
            continue
        style = PAGINATION[cat]
        if style == "bydate":
            out[cat] = f"{BASE}/{cat}&by-date={members[CATEGORY_PAGE_SIZE - 1].date:%Y-%m-%dT%H-%M}"
        else:
            out[cat] = BASE + page_url(cat, style, 2, CATEGORY_PAGE_SIZE, members)
    return out


def render_listings(site: Site, ctx: Ctx, arts: list[Art], redesign: bool):
    """Home and every category/subcategory, paginated in the category's style."""
    jobs = [("", "Trang chủ", "brsr", HOME_PAGE_SIZE, arts)]
    for cat, name in CATEGORIES:
        jobs.append((cat, name, PAGINATION[cat], CATEGORY_PAGE_SIZE, cat_members(arts, cat)))
    for cat, name, style, size, members in jobs:
        rss = f"{BASE}/rss_feed/{cat}" if cat else f"{BASE}/rss/home.rss"
        if style == "bydate":
            pages, cur, cutoff = [], members, None
            while True:
                chunk = cur[:size]
                pages.append((f"/{cat}" if cutoff is None else f"/{cat}&by-date={cutoff}", chunk))
                if len(cur) <= size:
                    break
                last = chunk[-1]
                cutoff = last.date.strftime("%Y-%m-%dT%H-%M")
                limit = last.date.replace(second=0)
                cur = [x for x in cur if x.date < limit]
                if not cur:
                    break
            for i, (path, chunk) in enumerate(pages):
                nxt = pages[i + 1][0] if i + 1 < len(pages) else ""
                paging = (f'<div class="__MB_ARTICLE_PAGING fw lt clearfix">\n    <a href="{T.A(BASE + nxt)}">Xem thêm</a>\n</div>'
                          if nxt else "")
                text = T.listing_page(title=name, url=BASE + path, rss=rss, active=cat, ctx=ctx, arts=chunk, style=style,
                                      paging_html=paging, redesign=redesign)
                site.put(path, "listing", text)
            continue
        n = max(1, -(-len(members) // size))
        urls = [page_url(cat, style, k, size, members) for k in range(1, n + 1)]
        for k in range(1, n + 1):
            chunk = members[(k - 1) * size: k * size]
            if style == "paging":
                links = []
                for j in range(1, n + 1):
                    links.append(f'<span class="current">{j}</span>' if j == k else f'<a href="{T.A(BASE + urls[j - 1])}">{j}</a>')
                if k < n:
                    links.append(f'<a class="next" href="{T.A(BASE + urls[k])}" title="Trang sau">»</a>')
                paging = '<div class="__MB_ARTICLE_PAGING paging fw lt clearfix">\n    ' + " ".join(links) + "\n</div>" if n > 1 else ""
                rel_next = rel_prev = ""
            else:
                links = []
                if k > 1:
                    links.append(f'<a class="prev" href="{T.A(BASE + urls[k - 2])}">Trang trước</a>')
                for j in range(1, n + 1):
                    links.append(f'<span class="current">{j}</span>' if j == k else f'<a href="{T.A(BASE + urls[j - 1])}">{j}</a>')
                if k < n:
                    links.append(f'<a class="next" href="{T.A(BASE + urls[k])}">Trang sau</a>')
                paging = '<div class="__MB_ARTICLE_PAGING fw lt clearfix">\n    ' + " ".join(links) + "\n</div>" if n > 1 else ""
                rel_next = BASE + urls[k] if k < n else ""
                rel_prev = BASE + urls[k - 2] if k > 1 else ""
            featured = ""
            if not cat and k == 1 and not redesign:
                boxes = []
                for top in [c for c, _ in CATEGORIES if "/" not in c]:
                    items = cat_members(arts, top)[:2]
                    if items:
                        boxes.append(T.bx_cat(CAT_NAME[top], items, " bx-cat-home", link=f"{BASE}/{top}"))
                featured = '<div class="home-categories fw lt clearfix">\n' + "\n".join(boxes) + "\n</div>\n" + \
                           '<div class="bx-cat-title fw lt mb2"><h2 class="bx-cat-name f2"><span class="bx-cat-link">Tin mới nhất</span></h2></div>'
            text = T.listing_page(title=name, url=BASE + urls[k - 1], rss=rss, active=cat, ctx=ctx, arts=chunk, style=style,
                                  paging_html=paging, rel_next=rel_next, rel_prev=rel_prev, featured=featured, redesign=redesign)
            site.put(urls[k - 1], "listing", text)


def rss_feed(title: str, link: str, self_url: str, arts: list[Art]) -> str:
    items = []
    for a in arts[:20]:
        items.append(f"<item>\n<title>{html.escape(a.title, quote=False)}</title>\n<link>{a.url}</link>\n"
                     f'<guid isPermaLink="true">{a.url}</guid>\n<description><![CDATA[<a href="{a.url}"><img src="{T.thumb(a)}" /></a>{a.sapo}]]></description>\n'
                     f"<pubDate>{format_datetime(a.date)}</pubDate>\n</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">\n<channel>\n'
            f"<title>{html.escape(title, quote=False)}</title>\n<link>{link}</link>\n<description>{html.escape(title, quote=False)} - Lao Động Thủ Đô</description>\n"
            f'<language>vi</language>\n<atom:link href="{self_url}" rel="self" type="application/rss+xml" />\n' + "\n".join(items) +
            "\n</channel>\n</rss>\n")


def render_discovery(site: Site, arts: list[Art]):
    site.put("/robots.txt", "misc", "User-agent: *\nDisallow: /apicenter@\nDisallow: /widgets@\nDisallow: /adsfw/\n"
             "Disallow: /search_enginer.html\nAllow: /\n\n" f"Sitemap: {BASE}/sitemap.xml\n", TEXT, ext=".txt")
    site.put("/rss/home.rss", "feeds", rss_feed("Lao Động Thủ Đô", f"{BASE}/", f"{BASE}/rss/home.rss", arts), RSS, ext=".xml")
    for cat, name in CATEGORIES:
        site.put(f"/rss_feed/{cat}", "feeds", rss_feed(name, f"{BASE}/{cat}", f"{BASE}/rss_feed/{cat}", cat_members(arts, cat)),
                 RSS, ext=".xml")
    years = sorted({a.date.year for a in arts}, reverse=True)
    maps = []
    for y in years:
        urls = "\n".join(f"<url><loc>{a.url}</loc><lastmod>{(a.modified or a.date).isoformat()}</lastmod></url>"
                         for a in arts if a.date.year == y)
        path = f"/sitemaps/sitemap-news-{y}.xml"
        site.put(path, "sitemaps", '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                 + urls + "\n</urlset>\n", XML, ext=".xml")
        maps.append(path)
    cats = "\n".join(f"<url><loc>{BASE}/{c}</loc><changefreq>hourly</changefreq></url>" for c, _ in CATEGORIES)
    site.put("/sitemaps/sitemap-categories.xml", "sitemaps", '<?xml version="1.0" encoding="UTF-8"?>\n'
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + f"<url><loc>{BASE}/</loc></url>\n" + cats + "\n</urlset>\n",
             XML, ext=".xml")
    maps.append("/sitemaps/sitemap-categories.xml")
    site.put("/sitemap.xml", "sitemaps", '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
             + "\n".join(f"<sitemap><loc>{BASE}{m}</loc></sitemap>" for m in maps) + "\n</sitemapindex>\n", XML, ext=".xml")


def render_tags(site: Site, ctx: Ctx, arts: list[Art], redesign: bool):
    names: dict[str, list[Art]] = {}
    for a in arts:
        kws = list(a.tags) + [m for b in a.blocks for m in re.findall(r"\[\[(.+?)\]\]", b.text + " ".join(b.items))]
        for t in dict.fromkeys(kws):
            names.setdefault(t, []).append(a)
    for name in sorted(names):
        url = tag_url(name)
        text = T.listing_page(title=f"Tag: {name}", url=url, rss="", active="", ctx=ctx, arts=names[name], style="brsr",
                              paging_html="", redesign=redesign, slim=True)
        site.put(url[len(BASE):], "tags", text)


def render_state(state: str, site_dir: Path, exp_dir: Path):
    arts = state_articles("base" if state == "redesign" else state)
    base = state_articles("base")
    site = Site(state, site_dir)
    expected = {}
    new_ids = {d["id"] for d in DAY2["new"]} if state == "day2" else set()
    pool = [a for a in arts if a.id not in new_ids]
    ctx = Ctx(arts, pool)
    ctx.second_pages = second_pages(arts)
    if state == "day2":
        base_routes = json.loads((site_dir / "base" / "routes.json").read_text(encoding="utf-8"))
        changed = {d["id"] for d in DAY2["edited"]} | set(DAY2["redirected"]) | new_ids
        base_by_id = {a.id: a for a in base}
        for a in arts:
            if a.id in changed:
                continue
            r = base_routes[a.path]
            site.link(a.path, r["file"])
            site.link(f"/apicenter@/print_article&i={a.id}", base_routes[f"/apicenter@/print_article&i={a.id}"]["file"])
            expected[a.id] = json.loads((exp_dir / "base" / f"{a.id}.json").read_text(encoding="utf-8"))
        for i in DAY2["deleted"]:
            site.link(base_by_id[i].path, "day2/misc/404.html", status=404)
            site.link(f"/apicenter@/print_article&i={i}", "day2/misc/404.html", status=404)
        for i in DAY2["redirected"]:
            site.redirect(base_by_id[i].path, base_by_id[i].url.replace(base_by_id[i].slug, DAY2["redirected"][i]))
        todo = [a for a in arts if a.id in changed]
    else:
        todo = arts
    for a in todo:
        if state == "redesign":
            text, related = T.article_redesign(a, ctx)
            extraction = {"strategy": "fallback", "template": None, "warnings": ["no site template matched"],
                          "fields": expected_fields(a, redesign=True)}
        else:
            text, related = T.ARTICLE_TEMPLATES[a.tpl](a, ctx)
            extraction = {"strategy": "selectors", "template": a.tpl, "warnings": [],
                          "fields": expected_fields(a, redesign=False)}
        if a.opt("nfd_page"):
            import unicodedata
            text = unicodedata.normalize("NFD", text)
        site.put(a.path, "articles", text)
        site.put(f"/apicenter@/print_article&i={a.id}", "print", T.print_page(a))
        expected[a.id] = expected_record(a, related, extraction)
    render_listings(site, ctx, arts, redesign=state == "redesign")
    site.link("/&mobile=yes", site.routes["/"]["file"])  # "Phiên bản di động": the mobile home (same page here)
    render_tags(site, ctx, arts, redesign=state == "redesign")
    render_discovery(site, arts)
    nf = site.put("/__404__", "misc", T.not_found_page(ctx), status=404)
    del site.routes["/__404__"]
    (site_dir / nf).rename(site_dir / f"{state}/misc/404.html")
    site.routes["*"] = {"file": f"{state}/misc/404.html", "status": 404, "content_type": HTML}
    site.write_routes()
    if state == "day2":
        changes = {"new": sorted(new_ids), "edited": sorted(d["id"] for d in DAY2["edited"]), "deleted": sorted(DAY2["deleted"]),
                   "redirected": {str(i): {"from": base_by_id[i].url, "to": base_by_id[i].url.replace(base_by_id[i].slug, s)}
                                  for i, s in sorted(DAY2["redirected"].items())},
                   "snapshot_time": {"base": SNAPSHOT_TIME["base"], "day2": SNAPSHOT_TIME["day2"]}}
        (site_dir / state / "changes.json").write_text(json.dumps(changes, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    out = exp_dir / state
    out.mkdir(parents=True, exist_ok=True)
    for i, rec in sorted(expected.items()):
        (out / f"{i}.json").write_text(json.dumps(rec, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def generate(site_dir: Path, exp_dir: Path, states=STATES):
    for state in states:
        shutil.rmtree(site_dir / state, ignore_errors=True)
        shutil.rmtree(exp_dir / state, ignore_errors=True)
    for state in states:
        render_state(state, site_dir, exp_dir)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", help="write site/ and expected/ under this directory instead of the committed paths")
    ap.add_argument("--state", action="append", choices=STATES)
    args = ap.parse_args(argv)
    if args.out:
        site_dir, exp_dir = Path(args.out) / "site", Path(args.out) / "expected"
    else:
        site_dir, exp_dir = HERE / "site", REPO / "tests" / "fixtures" / "expected"
    generate(site_dir, exp_dir, tuple(args.state) if args.state else STATES)


if __name__ == "__main__":
    main()
