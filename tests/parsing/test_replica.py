"""Every replica article parses to exactly its expected record (written from the content model)."""

from __future__ import annotations

import json

import pytest

from scraper.parsing import parse_article

from .conftest import article_page, expected_records

STATE = "base"
RECORDS = expected_records(STATE)


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


@pytest.mark.parametrize("record_path", RECORDS[:5], ids=[p.stem for p in RECORDS[:5]])
def test_url_defaults_to_the_canonical_link(record_path):
    expected = json.loads(record_path.read_text(encoding="utf-8"))
    page = article_page(STATE, expected)
    mirror = expected["url"].replace("https://laodongthudo.vn", "http://127.0.0.1:8765")
    assert parse_article(page.read_bytes(), "").url == expected["url"]
    assert parse_article(page.read_bytes(), mirror).url == expected["url"]
