"""Crawl rate: the archive's full crawl of the replica vs a bare Scrapy crawl of the same pages.

    python -m bench.crawl_rate [--state base] [--rounds 3] [--scale N] [--thread] [--baseline DIR]

Both crawls run against the replica served on 127.0.0.1 by this process, politeness off, each in
its own subprocess (the Twisted reactor cannot restart), with the same project settings:
- archive: `ldtd crawl --backfill` into a fresh SQLite file: fetch, parse, store;
- bare: a spider requesting exactly the pages the archive crawl fetched, parsing and storing
  nothing (no pipelines), through the same middlewares (mirror, offsite, robots.txt), every URL
  known at the start;
- bare+nav: the archive's own spider with the pipelines off: the same pages found the same way
  (listing chains, sitemaps), nothing parsed or stored. archive/bare+nav is the cost of parsing
  and storing; archive/bare also includes the cost of discovering the pages at all.
- archive/thread (`--thread`): the archive crawl storing from a writer thread of the crawling
  process (`LDTD_STORE_PROCESS=0`), as before the store process.
- baseline (`--baseline DIR`): the archive crawl of another checkout (e.g. `git worktree add DIR
  <commit>`), run the same way from DIR: before/after figures in one run.
Rate = responses received / Scrapy's elapsed_time_seconds; best and median of N interleaved rounds
(each round runs every contender once, starting with a different one).
`--scale N`: serve the base state plus N copies of every article under other ids, found through one
more sitemap (`bench.scaled_replica`): longer crawls, the per-page rates without start-up.
Target: archive rate >= 80% of the bare rate.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import scrapy

from scraper.crawl.run import FAST_SETTINGS

ROOT = Path(__file__).resolve().parent.parent


class BareSpider(scrapy.Spider):
    """Requests a fixed list of URLs and does nothing with the responses."""

    name = "bare"

    def __init__(self, urls_file: str, **kw):
        super().__init__(**kw)
        self.urls = [u for u in Path(urls_file).read_text().splitlines() if u.strip()]

    async def start(self):
        for url in self.urls:
            yield scrapy.Request(url, callback=self.noop, meta={"dont_obey_robotstxt": url.endswith("/robots.txt")})

    def noop(self, response):
        return None


def _settings_args(settings: dict) -> list[str]:
    out = []
    for k, v in settings.items():
        out += ["-s", f"{k}={v}"]
    return out


def run_archive_crawl(base_url: str, workdir: Path, n: int, pipelines: bool = True, extra: dict | None = None,
                      tag: str | None = None, root: Path = ROOT) -> dict:
    tag = tag or ("archive" if pipelines else "nav")
    db = workdir / f"{tag}-{n}.db"
    stats = workdir / f"{tag}-{n}.json"
    extra = dict(extra or {}) if pipelines else {"ITEM_PIPELINES": "{}"}
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", base_url, "--backfill",
           *_settings_args({**FAST_SETTINGS, "LOG_LEVEL": "WARNING", "LDTD_STATS_JSON": stats, **extra})]
    subprocess.run(cmd, cwd=root, check=False, capture_output=True)
    return json.loads(stats.read_text())


def run_bare_crawl(base_url: str, urls_file: Path, workdir: Path, n: int) -> dict:
    stats = workdir / f"bare-{n}.json"
    cmd = [sys.executable, "-m", "bench.crawl_rate", "--bare", str(urls_file), "--base-url", base_url,
           "--stats", str(stats)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return json.loads(stats.read_text())


def _bare_main(urls_file: str, base_url: str, stats_path: str) -> None:
    from scrapy.crawler import CrawlerProcess

    from scraper.crawl.run import project_settings

    settings = project_settings({**FAST_SETTINGS, "LDTD_BASE_URL": base_url, "ITEM_PIPELINES": {},
                                 "LOG_LEVEL": "WARNING"})
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, urls_file=urls_file)
    process.start()
    Path(stats_path).write_text(json.dumps({"stats": crawler.stats.get_stats()}, default=str))


def rate(stats: dict) -> tuple[int, float, float]:
    s = stats["stats"]
    pages = int(s.get("response_received_count", 0))
    elapsed = float(s.get("elapsed_time_seconds") or 0)
    return pages, elapsed, (pages / elapsed if elapsed else 0.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--state", default="base")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scale", type=int, default=0, help="N more copies of every article (bench.scaled_replica)")
    ap.add_argument("--thread", action="store_true", help="also the archive crawl with a writer thread")
    ap.add_argument("--baseline", type=Path, help="also the archive crawl of the checkout in this directory")
    ap.add_argument("--bare", help=argparse.SUPPRESS)
    ap.add_argument("--base-url", help=argparse.SUPPRESS)
    ap.add_argument("--stats", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bare:
        _bare_main(args.bare, args.base_url, args.stats)
        return 0

    from scraper.replica.server import ReplicaServer

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        site = {}
        if args.scale:
            from bench.scaled_replica import build_scaled_site

            site["site_dir"] = build_scaled_site(args.scale, work / "site", args.state)
        with ReplicaServer(state=args.state, **site) as server:
            return _rounds(args, server, work)


def _rounds(args, server, work: Path) -> int:
    urls_file = work / "urls.txt"
    # the bare crawl's URL list: what the archive crawl fetches (a first, unmeasured crawl)
    before = len(server.requests)
    run_archive_crawl(server.base_url, work, -1, pipelines=False)
    paths = [p for (_m, p, st) in server.requests[before:] if st == 200]
    urls_file.write_text("\n".join(f"https://laodongthudo.vn{p}" for p in dict.fromkeys(paths)))
    contenders = {
        "archive": lambda n: run_archive_crawl(server.base_url, work, n),
        "bare": lambda n: run_bare_crawl(server.base_url, urls_file, work, n),
        "nav": lambda n: run_archive_crawl(server.base_url, work, n, pipelines=False),
    }
    if args.thread:
        contenders["thread"] = lambda n: run_archive_crawl(server.base_url, work, n, extra={"LDTD_STORE_PROCESS": 0},
                                                           tag="thread")
    if args.baseline:
        contenders["baseline"] = lambda n: run_archive_crawl(server.base_url, work, n, tag="baseline",
                                                             root=args.baseline.resolve())
    names = list(contenders)
    runs = {k: [] for k in names}
    for n in range(args.rounds):
        for k in names[n % len(names):] + names[: n % len(names)]:  # a different one goes first each round
            runs[k].append(rate(contenders[k](n)))
    best = {k: max(r, key=lambda x: x[2]) for k, r in runs.items()}
    med = {k: statistics.median(x[2] for x in r) for k, r in runs.items()}
    labels = {
        "archive": "archive crawl (fetch+parse+store):",
        "bare": "bare crawl (fetch only):",
        "nav": "bare+nav (same spider, no pipelines):",
        "thread": "archive, writer thread (no store process):",
        "baseline": f"archive crawl of {args.baseline}:",
    }
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"crawl rate, replica state {args.state!r}" + (f" + {args.scale} copies of each article" if args.scale else "")
          + f", politeness off, {args.rounds} interleaved rounds (cpus={os.cpu_count()}, load average {load:.1f})")
    for k in names:
        b = best[k]
        print(f"  {labels[k]:44s} {b[0]} pages in {b[1]:.2f}s = {b[2]:.1f} pages/s best, {med[k]:.1f} median"
              f"   rounds: {', '.join(f'{r[2]:.1f}' for r in runs[k])}")
    ratio = best["archive"][2] / best["bare"][2] if best["bare"][2] else 0.0
    for k in names:
        if k != "bare":
            print(f"  {k} / bare: {best[k][2] / best['bare'][2]:.0%} best, {med[k] / med['bare']:.0%} median")
    print(f"  archive / bare+nav: {best['archive'][2] / best['nav'][2]:.0%} best, {med['archive'] / med['nav']:.0%} median"
          "   (target: archive / bare >= 80%)")
    return 0 if ratio >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
