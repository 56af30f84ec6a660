"""Parse speed: ``parse_article`` against a bare ``lxml.html.fromstring`` and ``trafilatura.extract``.

Every replica article page (base state) and the real MasterCMS reference page, each parsed many times
by each of the three in one run, interleaved (so machine noise hits all three alike); per page the median
of the runs, then the median over pages. Input is the page's bytes, as the crawler hands them over.

    python -m bench.parse_speed [--repeat N] [--state base] [--baseline DIR]

``--baseline DIR`` (a checkout of an earlier commit, e.g. ``git worktree add /tmp/base f7db238``) adds that
checkout's ``parse_article`` as a contender in the same process, interleaved page by page, so the two are
compared side by side under the same noise. Before every parse, each contender's memos are cleared (every
module-level ``*_MEMO`` dict and ``lru_cache`` of its package): a page's cost, not a warm site's.

Targets (issue 2): median <= 5 ms per ~100 KB page, <= 1.5x the bare lxml parse, >= 10x faster than
trafilatura.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import lxml.html

from bench.parsers import parse_article_of

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "scraper" / "replica" / "site"
REFERENCE = ROOT.parent / "shared" / "site" / "reference" / "mastercms-suckhoeviet-6316.html"
REFERENCE_URL = "https://suckhoeviet.org.vn/mach-ban-cach-an-toi-chuan-de-co-vong-eo-con-kien-giam-05kgngay-6316.html"


def pages(state: str) -> list[tuple[str, bytes]]:
    from scraper.urls import article_id

    routes = json.loads((SITE / state / "routes.json").read_text(encoding="utf-8"))
    out = []
    for path, route in sorted(routes.items()):
        if route.get("status", 200) != 200 or article_id("https://laodongthudo.vn" + path) is None:
            continue
        out.append(("https://laodongthudo.vn" + path, (SITE / route["file"]).read_bytes()))
    out.append((REFERENCE_URL, REFERENCE.read_bytes()))
    return out


def load_copy(checkout: Path, name: str, into: Path):
    """Another checkout's parser importable beside ours: its ``scraper`` package copied as ``name``
    (the parser imports its siblings relatively, so the copy is self-contained)."""
    shutil.copytree(checkout / "scraper", into / name, ignore=shutil.ignore_patterns("site", "__pycache__"))
    if str(into) not in sys.path:
        sys.path.insert(0, str(into))
    importlib.import_module(name + ".parsing")
    return parse_article_of(name)


def memo_clearer(package: str):
    """A function that empties every memo of a package's modules (dicts named *_MEMO, lru_caches);
    the memos are looked up on the first call (after the warm-up has imported everything)."""
    found: list = []

    def clear():
        if not found:
            for mod_name, mod in list(sys.modules.items()):
                if mod is None or not (mod_name == package or mod_name.startswith(package + ".")):
                    continue
                for attr, value in vars(mod).items():
                    if attr.endswith("_MEMO") and isinstance(value, dict):
                        found.append(value.clear)
                    elif callable(value) and hasattr(value, "cache_clear"):
                        found.append(value.cache_clear)
        for empty in found:
            empty()
    return clear


def timed(fn, *args, before=None) -> float:
    if before is not None:
        before()  # not timed
    t0 = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t0) * 1000.0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=40, help="runs per page and contender (default 40)")
    ap.add_argument("--state", default="base")
    ap.add_argument("--no-trafilatura", action="store_true", help="skip trafilatura (slow)")
    ap.add_argument("--baseline", type=Path, help="a checkout whose parse_article runs beside this one's")
    args = ap.parse_args(argv)

    from scraper.parsing.article import parse_article
    from scraper.parsing.errors import ParseError

    clear_ours = memo_clearer("scraper.parsing")
    baseline = clear_baseline = None
    copies = None
    if args.baseline:
        copies = Path(tempfile.mkdtemp(prefix="ldtd-parse-speed-"))
        baseline = load_copy(args.baseline.resolve(), "baseline_scraper", copies)
        clear_baseline = memo_clearer("baseline_scraper.parsing")

    trafilatura = None
    if not args.no_trafilatura:
        import trafilatura

    data = pages(args.state)
    ok = []
    for url, html in data:
        try:
            parse_article(html, url)
            ok.append((url, html))
        except ParseError as exc:
            print(f"skip {url}: {exc}", file=sys.stderr)
    data = ok

    def traf(html):
        return trafilatura.extract(html, include_comments=False)

    contenders = {"parse_article": lambda url, html: parse_article(html, url),
                  "lxml.html.fromstring": lambda url, html: lxml.html.fromstring(html)}
    if baseline is not None:
        contenders["baseline parse_article"] = lambda url, html: baseline(html, url)
    clearers = {"parse_article": clear_ours, "baseline parse_article": clear_baseline}
    if trafilatura is not None:
        contenders["trafilatura.extract"] = lambda url, html: traf(html)

    # Warm-up: imports, compiled selectors, caches.
    for url, html in data[:3]:
        for fn in contenders.values():
            fn(url, html)

    per_page: dict[str, list[float]] = {k: [] for k in contenders}
    reps = {k: (max(3, args.repeat // 8) if k == "trafilatura.extract" else args.repeat) for k in contenders}
    gc.disable()
    try:
        for url, html in data:
            samples: dict[str, list[float]] = {k: [] for k in contenders}
            for i in range(args.repeat):
                for name, fn in contenders.items():
                    if i < reps[name]:
                        samples[name].append(timed(fn, url, html, before=clearers.get(name)))
                if i % 8 == 7:
                    gc.collect()
            for name in contenders:
                per_page[name].append(statistics.median(samples[name]))
    finally:
        gc.enable()

    sizes = [len(h) for _, h in data]
    print(f"pages: {len(data)} ({args.state} replica articles + the reference page), "
          f"median size {statistics.median(sizes) / 1024:.0f} KB, runs per page {args.repeat}")
    print(f"{'':24}{'median ms/page':>16}{'ms per 100 KB':>16}{'max page ms':>14}")
    med = {}
    for name, vals in per_page.items():
        med[name] = statistics.median(vals)
        per100 = statistics.median(v / (s / 102400) for v, s in zip(vals, sizes))
        print(f"{name:24}{med[name]:>16.2f}{per100:>16.2f}{max(vals):>14.2f}")
    ref = per_page["parse_article"][-1], per_page["lxml.html.fromstring"][-1]
    print(f"reference page ({sizes[-1] / 1024:.0f} KB): parse_article {ref[0]:.2f} ms, lxml {ref[1]:.2f} ms")
    p, x = med["parse_article"], med["lxml.html.fromstring"]
    print(f"parse_article / bare lxml parse: {p / x:.2f}x   (target <= 1.5x)")
    if "trafilatura.extract" in med:
        print(f"trafilatura / parse_article:     {med['trafilatura.extract'] / p:.1f}x   (target >= 10x)")
    print(f"parse_article median:            {p:.2f} ms (target <= 5 ms per ~100 KB page)")
    if baseline is not None:
        b = med["baseline parse_article"]
        print(f"parse_article / baseline ({args.baseline}): {p / b:.3f}x   (target <= 1.1x)")
        shutil.rmtree(copies, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
