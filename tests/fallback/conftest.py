"""Fixtures of the fallback tests: the real MasterCMS reference page and the public AEB benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "site" / "reference" / "mastercms-suckhoeviet-6316.html"
REFERENCE_URL = "https://suckhoeviet.org.vn/mach-ban-cach-an-toi-chuan-de-co-vong-eo-con-kien-giam-05kgngay-6316.html"
AEB = SHARED / "aeb"


@pytest.fixture(scope="session")
def reference_html() -> bytes:
    if not REFERENCE.exists():
        pytest.skip(f"reference page not found: {REFERENCE}")
    return REFERENCE.read_bytes()


@pytest.fixture(scope="session")
def aeb_dir() -> Path:
    if not (AEB / "ground-truth.json").exists():
        pytest.skip(f"AEB benchmark not found: {AEB}")
    return AEB


REPLICA_SITE = ROOT / "scraper" / "replica" / "site"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"


def replica_articles(state: str):
    """(route path, page file, expected record) of every article page of a replica state, or []."""
    import json
    import re

    routes_file = REPLICA_SITE / state / "routes.json"
    if not routes_file.exists():
        return []
    out = []
    for path, route in sorted(json.loads(routes_file.read_text(encoding="utf-8")).items()):
        file = route.get("file")
        if not file or "/articles/" not in file or route.get("status", 200) != 200:
            continue
        m = re.search(r"-(\d+)\.(?:html|media)$", path)
        expected = EXPECTED / state / f"{m.group(1)}.json" if m else None
        if expected is None or not expected.exists():
            continue
        out.append((path, REPLICA_SITE / file, json.loads(expected.read_text(encoding="utf-8"))))
    return out
