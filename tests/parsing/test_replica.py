"""Every replica article parses to exactly its expected record (written from the content model)."""

from __future__ import annotations

import json

import pytest

from scraper.parsing.article import parse_article

from .conftest import article_page, expected_records

STATE = "base"
RECORDS = expected_records(STATE)
# "a day later" (edits, new articles) and "redesign" (every class renamed: the fallback's job).
OTHER = [(state, p) for state in ("day2", "redesign") for p in expected_records(state)]


def test_replica_has_expected_records():
    assert len(RECORDS) >= 40, "the replica's base state with its expected records is missing"


@pytest.mark.parametrize("record_path", RECORDS, ids=[p.stem for p in RECORDS])
def test_replica_article_parses_to_expected_record(record_path):
    expected = json.loads(record_path.read_text(encoding="utf-8"))
    page = article_page(STATE, expected)
    got = parse_article(page.read_bytes(), expected["url"]).to_dict()
    # Field by field first, for a readable failure; then the whole record.
    for key in expected:
        assert got[key] == expected[key], f"{record_path.stem}: field {key!r} differs"
    assert got == expected


@pytest.mark.parametrize("state,record_path", OTHER, ids=[f"{s}-{p.stem}" for s, p in OTHER])
def test_other_states_parse_to_expected_records(state, record_path):
    expected = json.loads(record_path.read_text(encoding="utf-8"))
    got = parse_article(article_page(state, expected).read_bytes(), expected["url"]).to_dict()
    for key in expected:
        assert got[key] == expected[key], f"{state}/{record_path.stem}: field {key!r} differs"
    if state == "redesign":
        assert got["extraction"]["strategy"] == "fallback"


@pytest.mark.parametrize("record_path", RECORDS[:5], ids=[p.stem for p in RECORDS[:5]])
def test_url_defaults_to_the_canonical_link(record_path):
    expected = json.loads(record_path.read_text(encoding="utf-8"))
    page = article_page(STATE, expected)
    mirror = expected["url"].replace("https://laodongthudo.vn", "http://127.0.0.1:8765")
    assert parse_article(page.read_bytes(), "").url == expected["url"]
    assert parse_article(page.read_bytes(), mirror).url == expected["url"]
