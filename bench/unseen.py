"""How the article parser does on markup nobody on the team wrote (tests/fixtures/unseen/).

Each <theme>-<n>.html there has its expected record <theme>-<n>.json, typed from the page's data before the
parser ever ran on it. Scores field by field: title/sapo/date (to the minute)/author/category exact, tags as a
set, body F1 of word 4-shingles, images, related recall/precision by URL and block labels, related headlines
(or their leads) leaking into the body, menu/ticker/footer links counted as related.

    .venv/bin/python -m bench.unseen            # table per theme + every failure, expected vs got
    .venv/bin/python -m bench.unseen --dir tests/fixtures/unseen2   # another set of pages in the same format

The pages are built by tests/fixtures/unseen/_make.py (python tests/fixtures/unseen/_make.py rewrites them).
"""
import argparse
import json
import re
import unicodedata
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from scraper.parsing.article import parse_article
from scraper.parsing.errors import ParseError
from scraper.replica.scoring import shingle_match

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "unseen"
EXACT = ("title", "sapo", "published_at", "author", "category", "category_url")
# Leads of the related boxes' cards: text of other articles that must never reach a body.
FOREIGN_LEADS = ("Ban Đại diện Hội Người cao tuổi quận Tây Hồ tổ chức Đại hội", "Cầu Rạch Đỉa thông xe đưa vào sử dụng",
                 "thống nhất chủ trương thực hiện 3 cây cầu lớn", "Thành ủy - HĐND - UBND thành phố Hà Nội tổ chức Hội nghị tổng kết",
                 "giá xăng, dầu đồng loạt tăng")


def norm(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def minute(iso):
    """An ISO time as (instant to the minute, UTC offset), or the raw value when it does not parse."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return (moment.replace(second=0, microsecond=0).isoformat()[:16], str(moment.utcoffset()))


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(expected, article):
    """(scores, failures) of one page: scores name -> number in [0, 1] (or a count), failures (field, expected, got)."""
    scores, failures = {}, []
    got = {"title": article.title, "sapo": article.sapo, "author": article.author, "category": article.category,
           "category_url": article.category_url, "published_at": article.published_at}
    for field in EXACT:
        want, have = expected[field], got[field]
        same = minute(want) == minute(have) if field == "published_at" else norm(want) == norm(have)
        scores[field] = float(same)
        if not same:
            failures.append((field, want, have))
    want_tags, have_tags = {norm(t) for t in expected["tags"]}, {norm(t) for t in article.tags}
    scores["tags"] = float(want_tags == have_tags)
    if want_tags != have_tags:
        failures.append(("tags", sorted(want_tags - have_tags), f"extra {sorted(have_tags - want_tags)}"))
    want_body = "\n\n".join(expected["body"])
    scores["body_f1"] = f1(*shingle_match(want_body, article.body or ""))
    if scores["body_f1"] < 0.98:
        have_paras = [norm(p) for p in (article.body or "").split("\n\n")]
        missing = [p[:70] for p in expected["body"] if norm(p) not in " ".join(have_paras)]
        extra = [p[:90] for p in have_paras if p and not any(p in norm(w) or norm(w) in p for w in expected["body"])]
        failures.append(("body", f"F1 {scores['body_f1']:.3f}; missing {missing}", f"extra {extra}"))
    want_imgs = [(i["url"], norm(i["caption"])) for i in expected["images"]]
    have_imgs = [(i.url, norm(i.caption)) for i in article.images]
    scores["images"] = float(want_imgs == have_imgs)
    if want_imgs != have_imgs:
        failures.append(("images", want_imgs, have_imgs))
    want_rel = {r["url"]: r for r in expected["related"]}
    want_pairs = {(r["url"], r["block"]) for r in expected["related"]}
    have_pairs = {(r.url, r.block) for r in article.related}
    have_urls = {r.url for r in article.related}
    hit = have_urls & set(want_rel)
    scores["rel_recall"] = len(hit) / len(want_rel) if want_rel else 1.0
    scores["rel_precision"] = len(hit) / len(have_urls) if have_urls else 1.0
    scores["rel_block"] = len(want_pairs & have_pairs) / len(want_pairs) if want_pairs else 1.0
    missed = defaultdict(list)
    for url in sorted(set(want_rel) - have_urls, key=list(want_rel).index):
        missed[want_rel[url]["block"]].append(want_rel[url]["title"][:40])
    if missed:
        failures.append(("related missed", {b: len(t) for b, t in missed.items()}, {b: t[:2] for b, t in missed.items()}))
    wrong_block = defaultdict(set)
    have_blocks = defaultdict(set)
    for r in article.related:
        have_blocks[r.url].add(r.block)
    for url, block in sorted(want_pairs - have_pairs):
        if url in have_urls:
            wrong_block[block] |= have_blocks[url]
    for block, labels in wrong_block.items():
        failures.append(("related block", block, sorted(labels)))
    chrome = set(expected["not_related"])
    leaked = [r for r in article.related if r.url in chrome]
    scores["chrome_as_related"] = len(leaked)
    if leaked:
        failures.append(("menu/ticker/footer as related", 0, [(r.block, r.title[:40]) for r in leaked]))
    strangers = [r for r in article.related if r.url not in want_rel and r.url not in chrome]
    if strangers:
        failures.append(("related not on any list", 0, [(r.block, r.url[-40:]) for r in strangers[:5]]))
    body = norm(article.body)
    in_body = [t for t in expected["related_titles_not_in_body"] if norm(t) in body] + [lead for lead in FOREIGN_LEADS if lead in body]
    scores["related_in_body"] = len(in_body)
    if in_body:
        failures.append(("related headline/lead in body", 0, in_body))
    return scores, failures


def run(fixtures=FIXTURES):
    per_theme = defaultdict(list)
    report = []
    for path in sorted(Path(fixtures).glob("*.html")):
        expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        try:
            article = parse_article(path.read_bytes(), expected["url"])
        except ParseError as error:
            report.append((path.stem, [("parse", "an article", f"{type(error).__name__}: {error}")], None))
            per_theme[path.stem.split("-")[0]].append({})
            continue
        scores, failures = score(expected, article)
        report.append((path.stem, failures, article.extraction))
        per_theme[path.stem.split("-")[0]].append(scores)
    columns = ["title", "sapo", "published_at", "author", "category", "category_url", "tags", "body_f1", "images",
               "rel_recall", "rel_precision", "rel_block", "related_in_body", "chrome_as_related"]
    short = ["title", "sapo", "date", "author", "cat", "cat_url", "tags", "bodyF1", "imgs", "rel_R", "rel_P", "rel_blk", "rel∈body", "chrome"]
    print("theme  pages " + " ".join(f"{s:>8}" for s in short))
    rows = sorted(per_theme.items()) + [("all", [s for v in per_theme.values() for s in v])]
    for theme, pages in rows:
        cells = []
        for column in columns:
            values = [p.get(column, 0.0) for p in pages]
            total = sum(values)
            cells.append(f"{int(total):>8d}" if column in ("related_in_body", "chrome_as_related") else f"{total / len(values):>8.2f}")
        print(f"{theme:<6} {len(pages):>5} " + " ".join(cells))
    print("(exact fields, tags, images: share of pages right; rel_R/rel_P: mean recall/precision by URL; rel_blk: share of"
          " expected (url, block) pairs found; rel∈body, chrome: counts, must be 0)")
    for stem, failures, extraction in report:
        template = f" [{extraction.strategy}/{extraction.template}]" if extraction else ""
        print(f"\n{stem}{template}: {len(failures)} failure(s)")
        for field, want, have in failures:
            print(f"  {field}: expected {want!r}\n  {' ' * len(field)}  got      {have!r}")
    return per_theme


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Score the article parser on pages of markup nobody on the team wrote.")
    parser.add_argument("--dir", type=Path, default=FIXTURES, help="folder of <theme>-<n>.html pages with their .json records")
    run(parser.parse_args().dir)
