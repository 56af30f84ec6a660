"""Every page a user opens in `ldtd serve`, timed warm and cold on a big synthetic archive, plus
`ldtd stats` and a full `ldtd export`.

    python -m bench.datasette_pages --articles 200000            # the issue-13 figures (bench/README.md)
    python -m bench.datasette_pages --articles 20000 --run-days 30 --cold-pages 4   # quick (make bench)

The archive is `bench/synth.py`'s (built once, cached in bench/out/ by its parameters). `ldtd serve`
runs on 127.0.0.1 in a subprocess; the pages are discovered from the running Datasette (its
/-/databases.json, the database's JSON: tables, views and canned queries with their parameters, the
table pages' own sort links and facet values), then each is timed:

- warm: the page once to load it, then the median of --repeat fetches;
- cold: a new server process after dropping the OS page cache (`sync; echo 3 >
  /proc/sys/vm/drop_caches`, as root; if that is refused the table says "cold: not measured"), then
  one fetch; sorts only on the tables of millions of rows (articles, pages, related_links). --cold-pages N
  limits cold timing to the first N pages (0: all), --cold-match REGEX to the pages so named.

A page is flagged when it takes over 0.5 s warm or 1.5 s cold, answers an error (Datasette's "SQL
query took too long" included), or says a facet timed out (its "These facets timed out" line). Timings
are wall time of the whole response, read to the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from datasette.utils import tilde_encode

from bench import synth

ROOT = Path(__file__).resolve().parent.parent
LDTD = [sys.executable, "-m", "scraper.cli"]
WARM_LIMIT, COLD_LIMIT = 0.5, 1.5
TIMED_OUT = re.compile(r'class="facets-timed-out">These facets timed out: ([^<]*)<')
SORT_LINK = re.compile(r'href="[^"]*[?&;]_sort(?:_desc)?=([A-Za-z0-9_]+)')
TOO_LONG = "SQL query took too long"
SEARCH_WITH, SEARCH_WITHOUT = "đào tạo", "dao tao"
SEARCH_COMMON = "gia vang"  # synth's common word (synth.HIT_QUERIES), folded
TABLES_SORTED = ("articles", "pages", "related_links", "article_versions", "crawl_runs")
# sorts timed cold too (the others' tables hold thousands of rows, not millions: warm only)
COLD_SORTED = ("articles", "pages", "related_links")


@dataclass
class Page:
    name: str
    path: str
    warm: float | None = None
    cold: float | None = None
    status: int | None = None
    timed_out: str = ""
    error: str = ""
    flags: list[str] = field(default_factory=list)
    cold_timed: bool = True


class Server:
    """`ldtd serve` in a subprocess on a free loopback port."""

    def __init__(self, db: Path):
        self.db = db
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([*LDTD, "serve", "--db", str(db), "--port", str(self.port)],
                                     cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        t0 = time.monotonic()
        deadline = t0 + 900
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"ldtd serve exited: {self.log.read().decode(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(self.base + "/-/versions.json", timeout=60).read()
                self.ready_secs = time.monotonic() - t0
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("ldtd serve did not answer within 900 s")

    def get(self, path: str, timeout: float = 60) -> tuple[int, bytes, float]:
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                body, status = r.read(), r.status
        except urllib.error.HTTPError as e:
            body, status = e.read(), e.code
        return status, body, time.perf_counter() - t0

    def json(self, path: str):
        status, body, _ = self.get(path)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}: {body[:300]!r}")
        return json.loads(body)

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def drop_caches() -> str | None:
    """Empty the OS page cache; None when done, else why it could not be."""
    try:
        os.sync()
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return None
    except OSError as e:
        return f"cannot drop the page cache ({e.strerror}; needs root)"


def q(path: str, **args) -> str:
    return path + ("?" + urllib.parse.urlencode(args) if args else "")


def discover(server: Server, db_path: Path) -> list[Page]:
    """The pages a user opens, found from the running Datasette."""
    db = server.json("/-/databases.json")[0]["route"]
    info = server.json(f"/{db}.json")
    server.json("/-/metadata.json")  # (served: what the index and table pages render from)
    pages = [Page("index", "/"), Page("database page", f"/{db}")]
    tables = [t["name"] for t in info["tables"] if not t["hidden"]]
    for t in tables:
        pages.append(Page(f"{t}: default view", f"/{db}/{t}"))
    for v in info["views"]:
        pages.append(Page(f"view {v['name']}", f"/{db}/{v['name']}"))
    a = f"/{db}/articles"
    facets = {}
    for _ in range(3):  # the first load of a cold archive may run past the time limit
        try:
            facets = server.json(q(a + ".json", _size=1))["facet_results"]
            break
        except RuntimeError as e:
            print(f"  discovery: {e}"[:200], flush=True)

    def top(col, sql):
        results = facets.get(col, {}).get("results") or []
        if results:
            return results[len(results) // 2]["value"]
        values = [r[0] for r in reader.execute(sql)]  # the facet failed: the same values from the file
        return values[len(values) // 2] if values else None

    reader = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    category = top("category", "SELECT category FROM articles GROUP BY 1 ORDER BY count(*) DESC LIMIT 30")
    author = top("author", "SELECT author FROM articles WHERE author IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC"
                           " LIMIT 30")
    month = top("published_at", "SELECT substr(published_at, 1, 7) FROM articles GROUP BY 1 ORDER BY 1 DESC LIMIT 30")
    if category:
        pages.append(Page("articles: category filter", q(a, category=category)))
    if author:
        pages.append(Page("articles: author filter", q(a, author=author)))
    if month:
        pages.append(Page("articles: month filter", q(a, published_at__startswith=month)))
    if category and month:
        pages.append(Page("articles: category + month", q(a, category=category, published_at__startswith=month)))
    # the table's search box: redirected to the ranked search page (both requests timed)
    pages.append(Page(f"articles: search {SEARCH_WITH!r}", q(a, _search=SEARCH_WITH)))
    pages.append(Page(f"articles: search {SEARCH_WITHOUT!r}", q(a, _search=SEARCH_WITHOUT)))
    pages.append(Page("articles: search a name", q(a, _search='"Nguyễn Văn Hùng"')))
    if category:
        pages.append(Page(f"articles: search {SEARCH_WITHOUT!r} in a category",
                          q(a, _search=SEARCH_WITHOUT, category=category)))
    # every match on the table, newest first (the ranked page's link)
    pages.append(Page(f"articles: search {SEARCH_WITHOUT!r}, newest first",
                      q(a, _search=SEARCH_WITHOUT, _sort_desc="published_at")))
    # not default views: a search's facets and the links' block facet run when asked (their pages link them)
    pages.append(Page(f"articles: search {SEARCH_WITHOUT!r}, facets asked",
                      q(a, _search=SEARCH_WITHOUT, _ldtd_facets=1)))
    # the same at the hit rate for a common word (~10-30 %; SEARCH_WITHOUT finds 62 % of synth's)
    pages.append(Page(f"articles: search {SEARCH_COMMON!r}, facets asked",
                      q(a, _search=SEARCH_COMMON, _ldtd_facets=1)))
    if "related_links" in tables:
        pages.append(Page("related_links: block facet asked", q(f"/{db}/related_links", _facet="block")))
    # sorts: every column the table page itself offers a sort link for
    for t in TABLES_SORTED:
        if t not in tables:
            continue
        _, html, _ = server.get(f"/{db}/{t}")
        for col in dict.fromkeys(SORT_LINK.findall(html.decode())):
            pages.append(Page(f"{t}: sort by {col}", q(f"/{db}/{t}", _sort=col), cold_timed=t in COLD_SORTED))
    # a deep page: the keyset token of the row halfway down the default order
    n = reader.execute("SELECT count(*) FROM articles").fetchone()[0]
    mid = reader.execute("SELECT published_at, id FROM articles ORDER BY published_at DESC, id DESC LIMIT 1 OFFSET ?",
                         [n // 2]).fetchone()
    pages.append(Page("articles: deep page (middle)", q(a, _next=f"{tilde_encode(mid[0])},{mid[1]}")))
    linked = reader.execute("SELECT article_id FROM related_links WHERE block = 'inline' ORDER BY id DESC"
                            " LIMIT 1").fetchone()[0]
    versioned = reader.execute("SELECT article_id FROM article_versions ORDER BY id DESC LIMIT 1").fetchone()
    reader.close()
    pages.append(Page("article row page (with related links)", f"{a}/{linked}"))
    pages.append(Page("related_links of an article", q(f"/{db}/related_links", article_id=linked)))
    if versioned:
        pages.append(Page("versioned article row page", f"{a}/{versioned[0]}"))
        pages.append(Page("versions of an article", q(f"/{db}/article_versions", article_id=versioned[0])))
        pages.append(Page("diff page", q("/-/ldtd/diff", id=versioned[0], db=db)))
    for query in info["queries"]:
        params = {}
        for p in query.get("params") or []:
            params[p] = {"q": SEARCH_WITHOUT, "since": (month or "2026-01") + "-01",
                         "until": (month or "2026-01") + "-28"}.get(p, "")
        pages.append(Page(f"canned query {query['name']}", q(f"/{db}/{query['name']}", **params)))
    pages.append(Page("charts page", "/-/ldtd/charts"))
    if category:
        pages.append(Page("articles.json, category filter", q(a + ".json", category=category)))
        pages.append(Page("articles.csv, category filter", q(a + ".csv", category=category)))
    pages.append(Page("articles.json, search", q(a + ".json", _search=SEARCH_WITHOUT)))
    return pages


def inspect(page: Page, status: int, body: bytes) -> None:
    page.status = status
    text = body.decode("utf-8", "replace")
    m = TIMED_OUT.search(text)
    if m:
        page.timed_out = m.group(1).strip()
    if status != 200 or TOO_LONG in text:
        page.error = TOO_LONG if TOO_LONG in text else f"HTTP {status}"


def time_warm(server: Server, pages: list[Page], repeat: int) -> None:
    for page in pages:
        status, body, _ = server.get(page.path)
        inspect(page, status, body)
        page.warm = statistics.median(server.get(page.path)[2] for _ in range(repeat))


def time_cold(db: Path, pages: list[Page], limit: int, match: str | None = None) -> str | None:
    chosen = [p for p in pages if p.cold_timed and (match is None or re.search(match, p.name))]
    starts = []
    for page in chosen[:limit or None]:
        refused = drop_caches()
        if refused:
            return refused
        server = Server(db)
        starts.append(server.ready_secs)
        try:
            status, body, secs = server.get(page.path)
            page.cold = secs
            if status != 200 or TOO_LONG in body.decode("utf-8", "replace"):
                page.error = page.error or (TOO_LONG if TOO_LONG in body.decode("utf-8", "replace")
                                            else f"HTTP {status}") + " (cold)"
        finally:
            server.stop()
    if starts:
        print(f"cold server start (to its first answer): median {statistics.median(starts):.1f} s,"
              f" max {max(starts):.1f} s over {len(starts)} starts", flush=True)
    return None


def timed_command(args: list[str], cold: bool, code_dir: Path = ROOT) -> tuple[float, float, int]:
    """(wall seconds, peak RSS MB, exit status) of an ldtd command in a subprocess (the checkout
    ``code_dir``'s). The peak comes from /usr/bin/time (a small parent: a child forked from this process
    would inherit its high-water mark)."""
    if cold:
        drop_caches()
    with tempfile.NamedTemporaryFile("r") as peak:
        t0 = time.perf_counter()
        code = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", peak.name, *LDTD, *args], cwd=code_dir,
                              env={**os.environ, "PYTHONPATH": str(code_dir)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        secs = time.perf_counter() - t0
        kb = peak.read().strip().splitlines()
    return secs, int(kb[-1]) / 1024 if kb and kb[-1].isdigit() else float("nan"), code


def stats_side_by_side(path: Path, repeat: int, baseline: Path | None) -> int:
    """`ldtd stats` warm: each checkout's run once to load it, then ``repeat`` runs each, interleaved; medians."""
    codes = [("before", baseline.resolve()), ("after", ROOT)] if baseline else [("", ROOT)]
    args = ["stats", "--db", str(path.resolve())]
    times: dict[str, list[float]] = {label: [] for label, _ in codes}
    for label, code_dir in codes:
        secs, _, code = timed_command(args, False, code_dir)
        if code:
            print(f"ldtd stats ({label or 'this checkout'}) failed: exit {code}")
            return 2
    for _ in range(repeat):
        for label, code_dir in codes:
            times[label].append(timed_command(args, False, code_dir)[0])
    for label, _ in codes:
        t = sorted(times[label])
        print(f"ldtd stats warm{f' ({label})' if label else ''}: median {statistics.median(t):.2f} s"
              f" (min {t[0]:.2f}, max {t[-1]:.2f}, {len(t)} runs) on {path}")
    return 0


def flag(pages: list[Page]) -> int:
    bad = 0
    for p in pages:
        if p.warm is not None and p.warm > WARM_LIMIT:
            p.flags.append(f"> {WARM_LIMIT} s warm")
        if p.cold is not None and p.cold > COLD_LIMIT:
            p.flags.append(f"> {COLD_LIMIT} s cold")
        if p.timed_out:
            p.flags.append(f"facet timed out: {p.timed_out}")
        if p.error:
            p.flags.append(p.error)
        bad += bool(p.flags)
    return bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--run-days", type=int, default=365, help="days of hourly crawl runs in the archive")
    ap.add_argument("--db", type=Path, help="an existing archive instead of the synthetic one")
    ap.add_argument("--repeat", type=int, default=3, help="warm fetches per page (median)")
    ap.add_argument("--cold-pages", type=int, default=0, help="time cold only the first N pages (0: all)")
    ap.add_argument("--cold-match", metavar="REGEX", help="time cold only the pages whose name matches")
    ap.add_argument("--no-cold", action="store_true")
    ap.add_argument("--no-commands", action="store_true", help="skip ldtd stats and ldtd export")
    ap.add_argument("--stats-only", action="store_true",
                    help="only ldtd stats, warm: --repeat runs (median), with --baseline's interleaved")
    ap.add_argument("--baseline", type=Path, help="another checkout (git worktree add DIR COMMIT) for --stats-only")
    a = ap.parse_args(argv)
    if a.stats_only:
        return stats_side_by_side(a.db or synth.ensure_archive(a.articles, a.run_days)[0], a.repeat, a.baseline)

    if a.db:
        path = a.db
        meta = synth.counts(path)
    else:
        path, meta = synth.ensure_archive(a.articles, a.run_days)
    print(f"archive {path}: {path.stat().st_size / 1e6:,.0f} MB; " + ", ".join(f"{k} {v:,}" for k, v in meta.items()))
    for query, hits in synth.hit_counts(path).items():
        print(f"  search {query!r}: {hits:,} articles ({hits / max(1, meta['articles']):.1%})")

    server = Server(path)
    print(f"ldtd serve answered after {server.ready_secs:.1f} s", flush=True)
    try:
        pages = discover(server, path)
        print(f"{len(pages)} pages; warm: median of {a.repeat} after one load ...", flush=True)
        time_warm(server, pages, a.repeat)
    finally:
        server.stop()
    cold_note = "not measured (--no-cold)" if a.no_cold else None
    if not a.no_cold:
        print(f"cold: a new server after dropping the page cache, each page ...", flush=True)
        cold_note = time_cold(path, pages, a.cold_pages, a.cold_match)
    bad = flag(pages)

    width = max(len(p.name) for p in pages)
    print(f"\n{'page':<{width}}  {'warm s':>7}  {'cold s':>7}  flags")
    for p in pages:
        warm = f"{p.warm:.3f}" if p.warm is not None else "-"
        cold = f"{p.cold:.3f}" if p.cold is not None else "-"
        print(f"{p.name:<{width}}  {warm:>7}  {cold:>7}  {'; '.join(p.flags)}")
    print(f"{bad} of {len(pages)} pages flagged (> {WARM_LIMIT} s warm, > {COLD_LIMIT} s cold, a facet timed out,"
          f" or an error)" + (f"; cold: {cold_note}" if cold_note else ""))

    if not a.no_commands:
        print()
        for label, args, cold in (("ldtd stats (warm)", ["stats", "--db", str(path)], False),
                                  ("ldtd stats (cold)", ["stats", "--db", str(path)], True)):
            if not cold:
                timed_command(args, False)  # load it once
            secs, rss, code = timed_command(args, cold)
            print(f"{label}: {secs:.2f} s, peak RSS {rss:.0f} MB" + (f", exit {code}" if code else ""))
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "all.jsonl"
            secs, rss, code = timed_command(["export", "--format", "jsonl", "--db", str(path), "-o", str(out)],
                                            False)
            lines = sum(1 for _ in out.open("rb")) if out.exists() else 0
        print(f"ldtd export --format jsonl (all): {lines:,} articles in {secs:.1f} s ({lines / secs:,.0f} articles/s),"
              f" peak RSS {rss:.0f} MB" + (f", exit {code}" if code else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
