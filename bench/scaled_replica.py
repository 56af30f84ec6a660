"""A larger replica for the crawl-rate benchmark: the base state plus N copies of every article.

    build_scaled_site(copies, dest) -> site_dir   # then ReplicaServer("base", site_dir=site_dir)

The 118-page replica is crawled in a few tenths of a second, so its figures are dominated by
start-up, discovery latency and the crawl's last stragglers. Here every base article page is served
again under `copies` more ids (id + k * 10,000,000, k = 1..copies; the page's own URLs rewritten to
the new id, so each copy parses as a distinct article), listed in one more sitemap that the
sitemap index advertises. Everything else (home, listings, feeds, other sitemaps) is the base
state's, so each copy costs the crawl one sitemap entry and one article fetch: the figures tend to
the per-article rates of fetching, parsing and storing. Nothing is written to the committed replica.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from scraper.replica.server import SITE_DIR

ID_STRIDE = 10_000_000
_ARTICLE = re.compile(r"^/(?:[a-z0-9]+(?:-[a-z0-9]+)*-)?(\d{2,9})\.(html|media)$")


def build_scaled_site(copies: int, dest: Path | str, state: str = "base") -> Path:
    dest = Path(dest)
    shutil.copytree(SITE_DIR / state, dest / state, dirs_exist_ok=True)
    routes = json.loads((dest / state / "routes.json").read_text(encoding="utf-8"))
    articles = [(path, r) for path, r in routes.items()
                if r.get("status") == 200 and r.get("file", "").startswith(f"{state}/articles/") and _ARTICLE.match(path)]
    out = dest / state / "scaled"
    out.mkdir(exist_ok=True)
    entries = []
    for path, r in articles:
        m = _ARTICLE.match(path)
        old_id = m.group(1)
        body = (dest / r["file"]).read_bytes()
        stem = path[: m.start(1)]
        for k in range(1, copies + 1):
            new_id = str(int(old_id) + k * ID_STRIDE)
            new_path = f"{stem}{new_id}.{m.group(2)}"
            # the page's own URL (canonical link, og:url, JSON-LD, share links) names the copy
            copy = body.replace(path.encode(), new_path.encode())
            name = f"{new_id}.{m.group(2)}"
            (out / name).write_bytes(copy)
            routes[new_path] = {**r, "file": f"{state}/scaled/{name}"}
            entries.append(f"<url><loc>https://laodongthudo.vn{new_path}</loc></url>")
    sitemap = ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
               + "\n".join(entries) + "\n</urlset>\n")
    (dest / state / "sitemaps" / "sitemap-scaled.xml").write_text(sitemap, encoding="utf-8")
    routes["/sitemaps/sitemap-scaled.xml"] = {"file": f"{state}/sitemaps/sitemap-scaled.xml", "status": 200,
                                              "content_type": "application/xml; charset=utf-8"}
    index = routes["/sitemap.xml"]["file"]
    text = (dest / index).read_text(encoding="utf-8")
    text = text.replace("</sitemapindex>", "<sitemap><loc>https://laodongthudo.vn/sitemaps/sitemap-scaled.xml</loc>"
                        "</sitemap>\n</sitemapindex>")
    (dest / index).write_text(text, encoding="utf-8")
    (dest / state / "routes.json").write_text(json.dumps(routes, ensure_ascii=False), encoding="utf-8")
    return dest
