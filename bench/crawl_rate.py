"""Crawl rate: the archive's full crawl of the replica vs a bare Scrapy crawl of the same pages.

    python -m bench.crawl_rate [--state base] [--rounds 3]

Both crawls run against the replica served on 127.0.0.1 by this process, politeness off, each in
its own subprocess (the Twisted reactor cannot restart), with the same project settings:
- archive: `ldtd crawl --backfill` into a fresh SQLite file: fetch, parse, store;
- bare: a spider requesting exactly the pages the archive crawl fetched, parsing and storing
  nothing (no pipelines), through the same middlewares (mirror, offsite, robots.txt), every URL
  known at the start;
- bare+nav: the archive's own spider with the pipelines off: the same pages found the same way
  (listing chains, sitemaps), nothing parsed or stored. archive/bare+nav is the cost of parsing
  and storing; archive/bare also includes the cost of discovering the pages at all.
Rate = responses received / Scrapy's elapsed_time_seconds, best of N interleaved rounds each.
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

from scraper.crawl import FAST_SETTINGS

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


def run_archive_crawl(base_url: str, workdir: Path, n: int, pipelines: bool = True) -> dict:
    tag = "archive" if pipelines else "nav"
    db = workdir / f"{tag}-{n}.db"
    stats = workdir / f"{tag}-{n}.json"
    extra = {} if pipelines else {"ITEM_PIPELINES": "{}"}
    cmd = [sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", base_url, "--backfill",
           *_settings_args({**FAST_SETTINGS, "LOG_LEVEL": "WARNING", "LDTD_STATS_JSON": stats, **extra})]
    subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True)
    return json.loads(stats.read_text())


def run_bare_crawl(base_url: str, urls_file: Path, workdir: Path, n: int) -> dict:
    stats = workdir / f"bare-{n}.json"
    cmd = [sys.executable, "-m", "bench.crawl_rate", "--bare", str(urls_file), "--base-url", base_url,
           "--stats", str(stats)]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
    return json.loads(stats.read_text())


def _bare_main(urls_file: str, base_url: str, stats_path: str) -> None:
    from scrapy.crawler import CrawlerProcess

    from scraper.crawl import project_settings

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
    ap.add_argument("--bare", help=argparse.SUPPRESS)
    ap.add_argument("--base-url", help=argparse.SUPPRESS)
    ap.add_argument("--stats", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.bare:
        _bare_main(args.bare, args.base_url, args.stats)
        return 0

    from scraper.replica.server import ReplicaServer

    with tempfile.TemporaryDirectory() as tmp, ReplicaServer(state=args.state) as server:
        work = Path(tmp)
        archive_runs, bare_runs, nav_runs = [], [], []
        urls_file = work / "urls.txt"
        for n in range(args.rounds):
            before = len(server.requests)
            archive_runs.append(rate(run_archive_crawl(server.base_url, work, n)))
            if n == 0:
                paths = [p for (_m, p, st) in server.requests[before:] if st == 200]
                urls_file.write_text("\n".join(f"https://laodongthudo.vn{p}" for p in dict.fromkeys(paths)))
            bare_runs.append(rate(run_bare_crawl(server.base_url, urls_file, work, n)))
            nav_runs.append(rate(run_archive_crawl(server.base_url, work, n, pipelines=False)))
        best_a = max(archive_runs, key=lambda r: r[2])
        best_b = max(bare_runs, key=lambda r: r[2])
        best_n = max(nav_runs, key=lambda r: r[2])
        ratio = best_a[2] / best_b[2] if best_b[2] else 0.0
        ratio_n = best_a[2] / best_n[2] if best_n[2] else 0.0
        med = {k: statistics.median(r[2] for r in runs)
               for k, runs in (("a", archive_runs), ("b", bare_runs), ("n", nav_runs))}
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"crawl rate, replica state {args.state!r}, politeness off, best of {args.rounds} rounds "
              f"(cpus={os.cpu_count()}, load average {load:.1f})")
        print(f"  archive crawl (fetch+parse+store): {best_a[0]} pages in {best_a[1]:.2f}s = {best_a[2]:.1f} pages/s"
              f"   rounds: {', '.join(f'{r[2]:.1f}' for r in archive_runs)}")
        print(f"  bare crawl (fetch only):           {best_b[0]} pages in {best_b[1]:.2f}s = {best_b[2]:.1f} pages/s"
              f"   rounds: {', '.join(f'{r[2]:.1f}' for r in bare_runs)}")
        print(f"  bare+nav (same spider, no pipelines): {best_n[0]} pages in {best_n[1]:.2f}s = {best_n[2]:.1f} pages/s"
              f"   rounds: {', '.join(f'{r[2]:.1f}' for r in nav_runs)}")
        print(f"  archive / bare: {ratio:.0%}   archive / bare+nav: {ratio_n:.0%}   (best rounds; target >= 80%)")
        print(f"  medians: archive {med['a']:.1f}, bare {med['b']:.1f}, bare+nav {med['n']:.1f} pages/s:"
              f" archive / bare {med['a'] / med['b']:.0%}, archive / bare+nav {med['a'] / med['n']:.0%}")
        return 0 if ratio >= 0.8 else 1


if __name__ == "__main__":
    sys.exit(main())
