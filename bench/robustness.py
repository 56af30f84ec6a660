"""Metamorphic robustness: the parser on variants of every replica article page and the real reference page.

    python -m bench.robustness [--kinds no_head,renamed,...] [--states base,day2,redesign] [--no-reference]
                               [--limit N] [--seed S] [--details K] [--json [PATH]] [--parser-root DIR]

Every replica article page (``scraper/replica/site/<state>/articles``, found through the state's
``routes.json``; ``day2`` pages identical to ``base`` ones are counted once) and the real MasterCMS
reference page (``../shared/site/reference``, expected values read from the page by hand in
``tests/fixtures/reference_expected.json``) is turned into each variant kind of ``scraper/replica/variants.py``
(``<head>`` removed, classes renamed, end tags cut, related lists moved, body fragment, combinations ...),
parsed by ``scraper.parsing.article.parse_article`` (as UTF-8 bytes, as the crawler hands it pages) and scored
field by field by ``scraper/replica/scoring.py`` against the page's expected record, less what the variant
destroys. Per kind: pages, refused (a ParseError), body F1 (AEB's shingle metric), related headlines and
the lead found in the body, related-link recall and precision (by URL; every article link the parser
reports that the page does not offer as related is an error), the rate of right block headings where the
page shows one, and the exact-match rate of title, lead, date (to the minute), author, category, tags and
updated_at. Figures below the issue's floors are starred.

``--parser-root DIR`` measures another checkout's parser (e.g. the baseline commit) with this checkout's
variants and scorer: ``scraper`` is imported from DIR, the two instrument modules are loaded by file path.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from bench.parsers import parse_article_of

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "scraper" / "replica" / "site"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"
REFERENCE = ROOT.parent / "shared" / "site" / "reference" / "mastercms-suckhoeviet-6316.html"
REFERENCE_EXPECTED = ROOT / "tests" / "fixtures" / "reference_expected.json"
STATES = ("base", "day2", "redesign")

COLUMNS = (  # (summary key, header, format)
    ("pages", "pages", "d"), ("refused", "refused", "d"), ("body_f1", "bodyF1", ".3f"),
    ("related_in_body", "relInBody", "d"), ("lead_in_body", "leadInBody", "d"),
    ("related_recall", "relR", ".3f"), ("related_precision", "relP", ".3f"), ("headings", "heading", ".3f"),
    ("title", "title", ".2f"), ("sapo", "lead", ".2f"), ("published_at", "date", ".2f"),
    ("author", "author", ".2f"), ("category", "categ", ".2f"), ("tags", "tags", ".2f"),
    ("updated_at", "updated", ".2f"),
)


def _instrument(name: str):
    """This checkout's ``scraper/replica/<name>.py``, loaded by path so that ``scraper`` stays free to come
    from --parser-root."""
    path = ROOT / "scraper" / "replica" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_robustness_{name}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def load_pages(states=STATES, reference: bool = True) -> list[dict]:
    """[{name, url, html, record}] for every replica article page with an expected record, and the reference."""
    pages, seen = [], set()
    for state in states:
        routes = json.loads((SITE / state / "routes.json").read_text(encoding="utf-8"))
        for path in sorted((EXPECTED / state).glob("*.json")):
            text = path.read_text(encoding="utf-8")
            record = json.loads(text)
            route = routes.get("/" + record["url"].split("/", 3)[3])
            if route is None or route.get("status", 200) != 200:
                raise SystemExit(f"{state}/{path.name}: no page for {record['url']} in routes.json")
            key = (route["file"], text)
            if key in seen:  # a later state serving the same page with the same record
                continue
            seen.add(key)
            pages.append({"name": f"{state}/{path.stem}", "url": record["url"],
                          "html": (SITE / route["file"]).read_text(encoding="utf-8"), "record": record})
    if reference:
        record = json.loads(REFERENCE_EXPECTED.read_text(encoding="utf-8"))
        pages.append({"name": "reference/6316", "url": record["url"],
                      "html": REFERENCE.read_text(encoding="utf-8"), "record": record})
    return pages


def run(pages, kinds, parse, variants, scoring, seed: int = 0):
    """{kind: [(page name, score)]}: every page as every variant kind, parsed and scored."""
    out = defaultdict(list)
    for page in pages:
        for kind in kinds:
            try:
                html = variants.make(page["html"], kind, seed)
            except variants.VariantError:
                continue  # the page lacks what the variant acts on
            expect = variants.expectation(kind, page["record"], html)
            error = None
            try:
                got = parse(html.encode("utf-8"), page["url"]).to_dict()
            except Exception as exc:  # ParseError: the page is refused (anything else is a parser bug: also lost)
                got, error = None, f"{type(exc).__name__}: {exc}"
            score = scoring.score_page(expect, got)
            score["error"] = error
            out[kind].append((page["name"], score))
    return out


def _cell(value, fmt: str, starred: bool) -> str:
    if value is None:
        return "-"
    return f"{value:{fmt}}" + ("*" if starred else "")


def table(summaries: dict, scoring) -> str:
    width = max([len("kind")] + [len(k) for k in summaries]) + 1
    head = f"{'kind':<{width}}" + "".join(f"{h:>{max(len(h), 6) + 1}}" for _, h, _ in COLUMNS)
    lines = [head]
    for kind, s in summaries.items():
        row = f"{kind:<{width}}"
        for key, h, fmt in COLUMNS:
            low = key in scoring.FLOORS and s[key] is not None and s[key] < scoring.FLOORS[key]
            high = key in scoring.CEILINGS and s[key] > scoring.CEILINGS[key]
            row += f"{_cell(s[key], fmt, low or high):>{max(len(h), 6) + 1}}"
        lines.append(row)
    return "\n".join(lines)


def details(kind: str, scored, k: int, scoring) -> list[str]:
    """The first k pages of a kind that miss something, and what."""
    out = []
    for name, s in scored:
        misses = [f for f, ok in s["fields"].items() if not ok]
        p, r = scoring.precision(*s["body"]), scoring.recall(*s["body"])
        rel = s.get("related") or {}
        notes = []
        if s["error"]:
            notes.append(s["error"][:100])
        if min(p, r) < 0.97:
            notes.append(f"body P={p:.2f} R={r:.2f}")
        if s["related_in_body"]:
            notes.append(f"{s['related_in_body']} related titles in body")
        if s["lead_in_body"]:
            notes.append("lead in body")
        if rel.get("missed"):
            notes.append(f"related missed {len(rel['missed'])}/{rel['expected']}")
        if rel.get("extra"):
            notes.append(f"related extra {len(rel['extra'])} (e.g. {rel['extra'][0]})")
        if rel and rel["headings_right"] < rel["headings"]:
            notes.append(f"headings {rel['headings_right']}/{rel['headings']}")
        if misses:
            notes.append("wrong: " + ",".join(misses))
        if notes:
            out.append(f"  {kind} {name}: " + "; ".join(notes))
        if len(out) >= k:
            break
    return out


def _commit(root: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kinds", default=None, help="comma-separated variant kinds (default: all)")
    ap.add_argument("--states", default=",".join(STATES))
    ap.add_argument("--no-reference", action="store_true", help="leave the real reference page out")
    ap.add_argument("--limit", type=int, default=None, help="at most N replica pages (spread over the states)")
    ap.add_argument("--seed", type=int, default=0, help="the renamed variant's seed")
    ap.add_argument("--details", type=int, default=0, metavar="K", help="list up to K failing pages per kind")
    ap.add_argument("--json", nargs="?", const="-", default=None, metavar="PATH",
                    help="write the figures as JSON to PATH (or stdout with no PATH)")
    ap.add_argument("--parser-root", type=Path, default=None,
                    help="import scraper.parsing from this checkout (the instrument stays this checkout's)")
    args = ap.parse_args(argv)

    parser_root = (args.parser_root or ROOT).resolve()
    sys.path.insert(0, str(parser_root))
    variants, scoring = _instrument("variants"), _instrument("scoring")
    parsing = importlib.import_module("scraper.parsing")
    if not Path(parsing.__file__).resolve().is_relative_to(parser_root):
        raise SystemExit(f"scraper.parsing came from {parsing.__file__}, not from {parser_root}")

    kinds = args.kinds.split(",") if args.kinds else list(variants.KINDS)
    for kind in kinds:
        try:
            variants.steps(kind)  # an unknown kind fails before the run
        except ValueError as exc:
            raise SystemExit(f"robustness: {exc}") from None
    pages = load_pages(args.states.split(","), reference=not args.no_reference)
    if args.limit:
        replica = [p for p in pages if not p["name"].startswith("reference/")]
        step = max(1, len(replica) // args.limit)
        pages = replica[::step][:args.limit] + [p for p in pages if p["name"].startswith("reference/")]

    t0 = time.perf_counter()
    scored = run(pages, kinds, parse_article_of("scraper"), variants, scoring, args.seed)
    elapsed = time.perf_counter() - t0
    summaries = {kind: scoring.summarise([s for _, s in scored[kind]]) for kind in kinds}

    report = sys.stderr if args.json == "-" else sys.stdout  # JSON alone on stdout when it goes there
    by_state = defaultdict(int)
    for p in pages:
        by_state[p["name"].split("/")[0]] += 1
    print(f"robustness: {len(pages)} pages ({', '.join(f'{k} {v}' for k, v in by_state.items())}), "
          f"{len(kinds)} variant kinds, {elapsed:.1f} s", file=report)
    print(f"parser: {Path(parsing.__file__).parent} (commit {_commit(parser_root)}); "
          f"instrument: {ROOT} (commit {_commit(ROOT)})", file=report)
    print(table(summaries, scoring), file=report)
    print("floors (*): body F1 >= 0.97; relInBody, leadInBody, refused = 0; relR, relP, heading >= 0.95; "
          "title, lead, date >= 0.95; author, categ >= 0.90. '-': excused by the variant.", file=report)
    if args.details:
        for kind in kinds:
            for line in details(kind, scored[kind], args.details, scoring):
                print(line, file=report)
    if args.json:
        doc = {"pages": len(pages), "parser": str(parser_root), "commit": _commit(parser_root),
               "kinds": summaries, "shortfalls": {k: scoring.shortfalls(s) for k, s in summaries.items()}}
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
