"""The replica at the real site's size: the base state plus up to ~200k more article pages, ids in the
real range, published at the real site's pace, listed in a dated sitemap index; served from memory.

    with ScaledReplica(articles=200_000) as srv:      # a ReplicaServer: srv.base_url, srv.requests, ...
        ...
    build_scaled_site(copies, dest) -> dest             # on disk, for ReplicaServer(site_dir=dest)
    python -m bench.scaled_replica --articles 1000 20000   # backfill + an hourly run of each: time, peak RSS
    python -m bench.scaled_replica --articles 1000 20000 --no-index-lastmod --baseline DIR   # before/after

Article k (0 = the newest) gets the k-th free id counting down from ``NEWEST_ID`` (~203k, the base
state's own ids skipped), so 200k articles span ids ~3k..203k as the real site's do, and is published
``86400 / PER_DAY`` seconds before article k-1, the newest at ``NEWEST``: ~150 a day, so a three-day
recrawl window holds ~450 of them whatever the size. Its page is one of the base state's article pages
(in turn) with the page's own URL rewritten to the new id and its publication time (ISO, dd/mm/yyyy,
HH:MM forms) to the new date, so it parses as a distinct article of that date.

Sitemaps: the base state's index gains one child per month of generated articles
(``/sitemaps/sitemap-scaled-YYYY-MM.xml``), and every child of the index carries ``<lastmod>`` (its
newest entry), as does every entry; each sitemap answers with that date as Last-Modified, so
conditional requests (the replica server's ETag / Last-Modified, 304) and lastmod-based skipping can
both be measured; ``index_lastmod=False`` leaves the index's children undated, as the real site's index
may be, so only conditional requests can spare a run the entries of its old months. Pages are generated
on request (a few bytes.replace calls on ~60 KB); nothing is written to the committed replica.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from functools import lru_cache
from statistics import median
from pathlib import Path

from scraper.crawl.run import FAST_SETTINGS
from scraper.replica.server import CANONICAL, SITE_DIR, ReplicaServer, Response

HANOI = timezone(timedelta(hours=7))
NEWEST = datetime(2026, 11, 25, 9, 0, tzinfo=HANOI)
NEWEST_ID = 203_000
PER_DAY = 150
_ARTICLE = re.compile(r"^/((?:[a-z0-9]+-)*)(\d{2,9})\.(html|media)$")
_PUBLISHED = re.compile(rb'article:published_time" content="([^"]+)"')
_SCALED_SITEMAP = re.compile(r"^/sitemaps/sitemap-scaled-(\d{4}-\d{2})\.xml$")
_LASTMOD = re.compile(r"<lastmod>([^<]+)</lastmod>")
XML = "application/xml; charset=utf-8"


def _forms(dt: datetime) -> list[str]:
    """The ways the templates print a publication time, longest first."""
    return [dt.isoformat(), dt.strftime("%Y-%m-%dT%H:%M"), dt.strftime("%d/%m/%Y %H:%M"),
            dt.strftime("%H:%M %d/%m/%Y"), dt.strftime("%d/%m/%Y"), dt.strftime("%d-%m-%Y"),
            ">" + dt.strftime("%H:%M") + "<", dt.strftime("%H:%M") + " |", dt.strftime("%H:%M") + ","]


def http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


class ScaledSite:
    """Which ids, dates and pages the scaled part of a state has (no server: build_scaled_site uses it too)."""

    def __init__(self, articles: int, state: str = "base", site_dir: Path = SITE_DIR, per_day: int = PER_DAY,
                 newest: datetime = NEWEST, newest_id: int = NEWEST_ID, index_lastmod: bool = True):
        self.state, self.per_day, self.newest, self.index_lastmod = state, per_day, newest, index_lastmod
        routes = json.loads((Path(site_dir) / state / "routes.json").read_text(encoding="utf-8"))
        self.templates = []  # (slug prefix, suffix, id, body, published)
        for path, r in routes.items():
            m = _ARTICLE.match(path)
            if m and r.get("status") == 200 and r.get("file", "").startswith(f"{state}/articles/"):
                body = (Path(site_dir) / r["file"]).read_bytes()
                published = _PUBLISHED.search(body)
                if published:
                    self.templates.append((m.group(1), m.group(3), m.group(2), body,
                                           datetime.fromisoformat(published.group(1).decode())))
        self.templates.sort(key=lambda t: int(t[2]))
        taken = {int(t[2]) for t in self.templates} | {int(m.group(2)) for p in routes if (m := _ARTICLE.match(p))}
        self.ids: list[int] = []
        candidate = newest_id
        while len(self.ids) < articles and candidate > 0:
            if candidate not in taken:
                self.ids.append(candidate)
            candidate -= 1
        self.rank = {aid: k for k, aid in enumerate(self.ids)}

    def published(self, aid: int) -> datetime:
        return (self.newest - timedelta(seconds=self.rank[aid] * 86400 // self.per_day)).replace(second=0)

    def path(self, aid: int) -> str:
        slug, suffix, *_ = self.templates[aid % len(self.templates)]
        return f"/{slug}{aid}.{suffix}"

    def page(self, aid: int) -> bytes:
        slug, suffix, old_id, body, old_date = self.templates[aid % len(self.templates)]
        old_path = f"/{slug}{old_id}.{suffix}".encode()
        body = body.replace(old_path, self.path(aid).encode())
        for old, new in zip(_forms(old_date), _forms(self.published(aid))):
            body = body.replace(old.encode(), new.encode())
        return body

    def article_id(self, raw_path: str) -> int | None:
        m = _ARTICLE.match(raw_path.split("?", 1)[0].split("#", 1)[0])
        if m is None or int(m.group(2)) not in self.rank:
            return None
        aid = int(m.group(2))
        return aid if raw_path.split("?", 1)[0] == self.path(aid) else None

    def months(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for aid in self.ids:
            out.setdefault(self.published(aid).strftime("%Y-%m"), []).append(aid)
        return out

    def child_sitemap(self, month: str, ids: list[int]) -> tuple[str, datetime]:
        entries = "\n".join(f"<url><loc>{CANONICAL}{self.path(a)}</loc><lastmod>{self.published(a).isoformat()}"
                            f"</lastmod></url>" for a in ids)
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9">\n{entries}\n</urlset>\n'), max(self.published(a) for a in ids)

    def sitemap_index(self, base_index: str, base_children: dict[str, str]) -> tuple[str, datetime]:
        """The base index with a lastmod on every child (base ones: their newest entry) and the scaled months."""
        dates = []

        def dated(m):
            loc = m.group(1)
            text = base_children.get(loc[len(CANONICAL):], "")
            # a child without dated entries (the categories) changes whenever the site does
            stamps = [datetime.fromisoformat(s) for s in _LASTMOD.findall(text)] or [self.newest]
            dates.append(max(stamps))
            return f"<sitemap><loc>{loc}</loc>{self._lastmod(max(stamps))}</sitemap>"

        text = re.sub(r"<sitemap><loc>([^<]+)</loc></sitemap>", dated, base_index)
        months = []
        for month, ids in sorted(self.months().items(), reverse=True):
            newest = max(self.published(a) for a in ids)
            dates.append(newest)
            months.append(f"<sitemap><loc>{CANONICAL}/sitemaps/sitemap-scaled-{month}.xml</loc>"
                          f"{self._lastmod(newest)}</sitemap>")
        text = text.replace("</sitemapindex>", "\n".join(months) + "\n</sitemapindex>")
        return text, max(dates)

    def _lastmod(self, when: datetime) -> str:
        return f"<lastmod>{when.isoformat()}</lastmod>" if self.index_lastmod else ""


class ScaledReplica(ReplicaServer):
    """A ReplicaServer whose state also serves ``articles`` generated article pages and their sitemaps."""

    def __init__(self, articles: int, state: str = "base", per_day: int = PER_DAY, index_lastmod: bool = True, **kw):
        super().__init__(state, **kw)
        self.scaled = ScaledSite(articles, state, self.site_dir, per_day, index_lastmod=index_lastmod)
        self.months = self.scaled.months()
        self._sitemap = lru_cache(maxsize=64)(self._sitemap_uncached)

    def _sitemap_uncached(self, key: str) -> tuple[bytes, datetime]:
        if key == "index":
            hit = self.state.lookup("/sitemap.xml")
            children = {p: b.decode("utf-8") for p, (r, b) in self.state.routes.items() if p.startswith("/sitemaps/")}
            text, newest = self.scaled.sitemap_index(hit[1].decode("utf-8"), children)
        else:
            text, newest = self.scaled.child_sitemap(key, self.months[key])
        return text.encode("utf-8"), newest

    def resolve(self, method: str, raw_path: str) -> Response:
        path = raw_path.split("?", 1)[0]
        aid = self.scaled.article_id(raw_path)
        if aid is not None:
            return Response(200, self.scaled.page(aid), {"Content-Type": "text/html; charset=utf-8"})
        m = _SCALED_SITEMAP.match(path)
        if path == "/sitemap.xml" or (m and m.group(1) in self.months):
            body, newest = self._sitemap("index" if path == "/sitemap.xml" else m.group(1))
            return Response(200, body, {"Content-Type": XML, "Last-Modified": http_date(newest)})
        return super().resolve(method, raw_path)


def build_scaled_site(copies: int, dest: Path | str, state: str = "base") -> Path:
    """The state plus ``copies`` generated articles per base article, written to dest (a site_dir for
    ReplicaServer): the same ids, dates and sitemaps as ScaledReplica(articles=copies * base articles)."""
    dest = Path(dest)
    shutil.copytree(SITE_DIR / state, dest / state, dirs_exist_ok=True)
    server = ScaledReplica(copies * len(ScaledSite(0, state).templates), state, site_dir=dest)
    routes = json.loads((dest / state / "routes.json").read_text(encoding="utf-8"))
    out = dest / state / "scaled"
    out.mkdir(exist_ok=True)
    for aid in server.scaled.ids:
        name = server.scaled.path(aid).lstrip("/")
        (out / name).write_bytes(server.scaled.page(aid))
        routes[f"/{name}"] = {"file": f"{state}/scaled/{name}", "status": 200,
                              "content_type": "text/html; charset=utf-8"}
    for key, path in [("index", "/sitemap.xml")] + [(m, f"/sitemaps/sitemap-scaled-{m}.xml") for m in server.months]:
        body, newest = server._sitemap(key)
        name = "sitemap.xml" if key == "index" else f"sitemap-scaled-{key}.xml"
        (dest / state / "sitemaps" / name).write_bytes(body)
        routes[path] = {"file": f"{state}/sitemaps/{name}", "status": 200, "content_type": XML,
                        "last_modified": http_date(newest)}
    (dest / state / "routes.json").write_text(json.dumps(routes, ensure_ascii=False), encoding="utf-8")
    return dest


# -- the crawl benchmark -----------------------------------------------------------------------------

def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants now (the crawl, its parse and store processes)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        rss[int(entry.name)] = int(fields[21]) * 4096
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


HERE = Path(__file__).resolve().parent.parent


def measured_crawl(base_url: str, db: Path, backfill: bool, now: datetime, extra: dict | None = None,
                   code: Path = HERE) -> dict:
    """One `ldtd crawl` in a subprocess (the code in ``code``, a checkout): wall seconds, peak summed RSS
    (sampled every 0.1 s), Scrapy's stats."""
    stats = db.with_suffix(".stats.json")
    settings = {**FAST_SETTINGS, "LOG_LEVEL": "WARNING", "LDTD_STATS_JSON": stats, "LDTD_FULL_WALK_DAYS": 0,
                "LDTD_NOW": now.isoformat(), **(extra or {})}
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", base_url,
           *(["--backfill"] if backfill else [])]
    for k, v in settings.items():
        cmd += ["-s", f"{k}={v}"]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(code)})
    peak, samples = 0, []
    while proc.poll() is None:
        rss = tree_rss(proc.pid)
        peak = max(peak, rss)
        samples.append((time.perf_counter() - t0, rss))
        time.sleep(0.1)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # (the crawl and the processes it waited for)
    cpu = cpu1.ru_utime - cpu0.ru_utime + cpu1.ru_stime - cpu0.ru_stime
    err = proc.stderr.read().decode(errors="replace")
    s = json.loads(stats.read_text())["stats"] if stats.exists() else {}
    return {"wall": wall, "cpu": cpu, "peak_mb": peak / 2 ** 20, "samples": samples, "exit": proc.returncode,
            "responses": int(s.get("response_received_count", 0)), "stderr": err[-500:], "stats": s}


def sitemap_answers(requests) -> str:
    """The sitemap and feed requests a run made, by status: "7x200 3x304"."""
    counts: dict[int, int] = {}
    for _, path, status in requests:
        if "sitemap" in path or "rss" in path:
            counts[status] = counts.get(status, 0) + 1
    return " ".join(f"{n}x{status}" for status, n in sorted(counts.items())) or "-"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Backfill and then an hourly incremental run of the scaled replica:"
                                             " wall time and peak RSS summed over the crawl's processes.")
    ap.add_argument("--articles", type=int, nargs="+", default=[1000, 20000])
    ap.add_argument("--baseline", type=Path, help="another checkout (git worktree add DIR COMMIT): its hourly run"
                    " on a copy of the same backfilled archive, side by side")
    ap.add_argument("--no-index-lastmod", dest="index_lastmod", action="store_false",
                    help="the sitemap index dates none of its children (as the real site's may not)")
    ap.add_argument("--repeat", type=int, default=1, help="hourly runs per code, each on a fresh copy of the"
                    " backfilled archive, interleaved; the median is reported")
    a = ap.parse_args(argv)
    codes = [("before", a.baseline.resolve()), ("after", HERE)] if a.baseline else [("", HERE)]
    rows, hourly_rows = [], []
    for n in a.articles:
        with ScaledReplica(articles=n, index_lastmod=a.index_lastmod) as srv, tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "archive.db"
            back = measured_crawl(srv.base_url, db, True, NEWEST + timedelta(minutes=5))
            if back["exit"]:
                print(f"backfill of {n:,} failed (exit {back['exit']}): {back['stderr']}")
                return 2
            with sqlite3.connect(db) as conn:
                stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            # growth: peak-so-far RSS against articles stored, over the second half of the backfill
            half = [rss for t, rss in back["samples"] if t >= back["wall"] / 2]
            growth = ((max(half) - back["samples"][len(back["samples"]) // 2][1]) / 2 ** 20 / (stored / 2000)
                      if half and stored else 0.0)
            rows.append((n, stored, back, growth))
            # each code's hourly run an hour later over the unchanged site, on its own copy of the archive
            runs: dict[str, list] = {label: [] for label, _ in codes}
            for _ in range(a.repeat):
                for label, code in codes:
                    copy = Path(tmp) / f"hourly-{label or 'run'}.db"
                    for old in Path(tmp).glob(copy.name + "*"):
                        shutil.rmtree(old) if old.is_dir() else old.unlink()
                    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
                        src.backup(dst)
                    srv.requests.clear()
                    hourly = measured_crawl(srv.base_url, copy, False, NEWEST + timedelta(hours=1, minutes=5),
                                            code=code)
                    if hourly["exit"]:
                        print(f"hourly run ({label or 'this checkout'}) of {n:,} failed (exit {hourly['exit']}): "
                              f"{hourly['stderr']}")
                        return 2
                    runs[label].append((hourly, sitemap_answers(srv.requests)))
            for label, _ in codes:
                done = sorted(runs[label], key=lambda r: r[0]["wall"])
                hourly, answers = done[len(done) // 2]
                hourly = {**hourly, "wall": median(r["wall"] for r, _ in done), "cpu": median(r["cpu"] for r, _ in done),
                          "peak_mb": median(r["peak_mb"] for r, _ in done)}
                hourly_rows.append((label, n, hourly, answers))
    print(f"\n{'articles':>9} {'stored':>7} {'backfill s':>10} {'peak MB':>8} {'MB/1k':>6}")
    for n, stored, back, growth in rows:
        print(f"{n:>9,} {stored:>7,} {back['wall']:>10.1f} {back['peak_mb']:>8.0f} {growth:>6.2f}")
    print(f"\n{'code':>6} {'articles':>9} {'hourly s':>9} {'CPU s':>6} {'peak MB':>8} {'requests':>9} {'unchanged':>9}"
          "  sitemaps/feeds")
    for label, n, hourly, answers in hourly_rows:
        print(f"{label or '-':>6} {n:>9,} {hourly['wall']:>9.1f} {hourly['cpu']:>6.1f} {hourly['peak_mb']:>8.0f} "
              f"{hourly['responses']:>9,} {int(hourly['stats'].get('ldtd/sitemaps_unchanged', 0)):>9}  {answers}")
    for label, _ in codes:
        mine = [(n, h) for lab, n, h, _ in hourly_rows if lab == label]
        if len(mine) > 1:
            (n0, h0), (n1, h1) = mine[0], mine[-1]
            print(f"{label or 'this checkout'}: hourly run at {n1:,} / at {n0:,} articles: wall "
                  f"{h1['wall'] / h0['wall']:.2f}x, CPU {h1['cpu'] / h0['cpu']:.2f}x, peak RSS "
                  f"{h1['peak_mb'] / h0['peak_mb']:.2f}x")
    print("peak MB: resident memory summed over the crawl's processes (sampled every 0.1 s); MB/1k: the backfill's"
          " growth per 1,000 articles over its second half (this checkout); hourly: an incremental run an hour later"
          " over the unchanged site (periodic full walk off), each code on a copy of the same backfilled archive"
          f" (median of {a.repeat}; CPU: user+system of the crawl and its processes);"
          " unchanged: sitemaps/feeds skipped as unchanged (304 or same bytes); sitemaps/feeds: their requests by"
          f" status; the index {'dates' if a.index_lastmod else 'does not date'} its children")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
