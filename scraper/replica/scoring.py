"""Scoring what a parser made of a page against what the page says: the measuring side of the benchmarks.

Shared by ``bench/aeb.py`` (the AEB metric), ``bench/robustness.py`` and ``tests/parsing/test_robustness.py``
(field-by-field comparison of a record with its expectation, summed per variant kind), so the benchmark and the
tests measure the same way without importing each other. Standard library only: the robustness benchmark loads
this file by path to score another checkout's parser.

AEB metric, as the benchmark's own ``evaluate.py`` computes it: tokens are ``\\w+`` runs; for each page the
predicted and true bodies' word 4-shingles are matched as multisets (tp, fp, fn), normalised by their sum;
precision is averaged over pages with tp+fp > 0, recall over pages with tp+fn > 0, and F1 is the harmonic mean
of those two averages.
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def _shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN_RE.findall(text or "")
    out: Counter = Counter()
    for i in range(0, max(1, len(tokens) - n + 1)):
        sh = tuple(tokens[i:i + n])
        if sh:
            out[sh] += 1
    return out


def shingle_match(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of word 4-shingles, normalised to sum to 1 (the benchmark's per-page weights)."""
    t, p = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    if s > 0:
        tp, fp, fn = tp / s, fp / s, fn / s
    return tp, fp, fn


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(tp_fp_fns) -> dict:
    """AEB's precision, recall and F1 over pages' (tp, fp, fn)."""
    ps = [precision(*x) for x in tp_fp_fns if x[0] + x[1] > 0]
    rs = [recall(*x) for x in tp_fp_fns if x[0] + x[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f1}


# --- a record against its expectation -------------------------------------------------------------------

# The fields compared exactly (times to the minute). An expectation leaves out the fields its variant destroys.
FIELDS = ("title", "sapo", "published_at", "updated_at", "author", "category", "tags")
_TIMES = frozenset({"published_at", "updated_at"})
# Block names that are a kind, not a heading the page shows: no heading to get right.
HEADINGLESS_BLOCKS = frozenset({"inline", "related", "prev", "next", "bottom", "sidebar"})

# The floors per variant kind (issue 10, "Targets"): rates at least, counts at most.
FLOORS = {
    "body_f1": 0.97,
    "related_recall": 0.95,
    "related_precision": 0.95,
    "headings": 0.95,
    "title": 0.95,
    "sapo": 0.95,
    "published_at": 0.95,
    "author": 0.90,
    "category": 0.90,
}
CEILINGS = {"refused": 0, "related_in_body": 0, "lead_in_body": 0}


def load_aeb(aeb: Path, limit: int | None = None) -> list[tuple[str, str, str, str]]:
    """The extraction benchmark's pages in key order: (key, url, html, true articleBody)."""
    truth = json.loads((aeb / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        with gzip.open(aeb / "html" / f"{key}.html.gz", "rt", encoding="utf8") as f:
            html = f.read()
        pages.append((key, truth[key]["url"], html, truth[key].get("articleBody", "")))
        if limit and len(pages) >= limit:
            break
    return pages


def _minute(value: str | None):
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return ("unparsable", value)
    if dt.tzinfo is None:
        return ("naive", value)  # the record's contract is an offset: a naive time is wrong
    return dt.astimezone(timezone.utc).replace(second=0, microsecond=0)


def field_matches(name: str, expected, got) -> bool:
    """Exact equality (times to the minute); a missing value may be null or empty."""
    expected, got = expected or None, got or None
    if name in _TIMES:
        return _minute(expected) == _minute(got)
    return expected == got


def score_page(expect: dict, got: dict | None) -> dict:
    """One page's scores. ``expect``: ``fields`` (name -> expected value, excused fields absent), ``body``,
    ``related`` (list of {url, title, block}, or None when excused), ``related_titles`` and ``lead`` (texts that
    must never be in the body). ``got``: the parsed record as a dict, None when the parser refused the page."""
    body = (got or {}).get("body") or ""
    out: dict = {"refused": got is None, "body": shingle_match(expect["body"], body)}
    out["related_in_body"] = sum(1 for t in expect.get("related_titles", ()) if t and t in body)
    lead = expect.get("lead")
    out["lead_in_body"] = int(bool(lead) and lead in body)
    want = expect["fields"]
    # A refused page is lost: every field is wrong, even one whose right value is null.
    out["fields"] = {name: got is not None and field_matches(name, want[name], got.get(name))
                     for name in FIELDS if name in want}
    related = expect.get("related")
    if related is not None:
        want = {r["url"] for r in related}
        got_links = (got or {}).get("related") or []
        have = {r["url"] for r in got_links}
        have_pairs = {(r["url"], r["block"]) for r in got_links}
        shown = {(r["url"], r["block"]) for r in related if r["block"] not in HEADINGLESS_BLOCKS}
        found = {pair for pair in shown if pair[0] in have}
        out["related"] = {"expected": len(want), "got": len(have), "right": len(want & have),
                          "missed": sorted(want - have), "extra": sorted(have - want),
                          "headings": len(found), "headings_right": len(found & have_pairs)}
    return out


def _rate(num: int, den: int):
    return num / den if den else None


def summarise(scores: list[dict]) -> dict:
    """One variant kind's figures over its pages (rates are None where nothing was expected)."""
    rel = [s["related"] for s in scores if "related" in s]
    out = {
        "pages": len(scores),
        "refused": sum(s["refused"] for s in scores),
        "body_f1": metrics([s["body"] for s in scores])["f1"] if scores else None,
        "related_in_body": sum(s["related_in_body"] for s in scores),
        "lead_in_body": sum(s["lead_in_body"] for s in scores),
        "related_recall": _rate(sum(r["right"] for r in rel), sum(r["expected"] for r in rel)),
        "related_precision": _rate(sum(r["right"] for r in rel), sum(r["got"] for r in rel)),
        "headings": _rate(sum(r["headings_right"] for r in rel), sum(r["headings"] for r in rel)),
    }
    for name in FIELDS:
        judged = [s["fields"][name] for s in scores if name in s["fields"]]
        out[name] = _rate(sum(judged), len(judged))
    return out


def shortfalls(summary: dict) -> list[str]:
    """The floors a kind's figures miss, as 'metric value < floor' lines (empty when all are met)."""
    out = []
    for name, floor in FLOORS.items():
        value = summary.get(name)
        if value is not None and value < floor:
            out.append(f"{name} {value:.3f} < {floor}")
    for name, ceiling in CEILINGS.items():
        value = summary.get(name)
        if value is not None and value > ceiling:
            out.append(f"{name} {value} > {ceiling}")
    return out
