"""Fixtures of the parser tests: the replica's committed pages and expected records, the reference page
(a real MasterCMS page of a sister site) and the seed article's visible text (ground truth)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "site"  # ../shared beside the checkout (CI lays it out the same way)
REFERENCE = SHARED / "reference" / "mastercms-suckhoeviet-6316.html"
REFERENCE_URL = "https://suckhoeviet.org.vn/mach-ban-cach-an-toi-chuan-de-co-vong-eo-con-kien-giam-05kgngay-6316.html"
SEED_TEXT = SHARED / "seed" / "ra-soat-bang-cap-chuyen-mon.txt"
SEED_ID = 164585
SITE = ROOT / "scraper" / "replica" / "site"
EXPECTED = ROOT / "tests" / "fixtures" / "expected"


def routes(state: str = "base") -> dict:
    path = SITE / state / "routes.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def page_file(state: str, url_path: str) -> Path | None:
    route = routes(state).get(url_path)
    if not route:
        return None
    return SITE / route["file"]


def expected_records(state: str = "base") -> list[Path]:
    return sorted((EXPECTED / state).glob("*.json"))


def article_page(state: str, record: dict) -> Path:
    path = "/" + record["url"].split("/", 3)[3]
    f = page_file(state, path)
    assert f is not None, f"no route for {path} in {state}/routes.json"
    return f


def seed_page() -> Path | None:
    for path, route in routes("base").items():
        if path.endswith(f"-{SEED_ID}.html") and route.get("status", 200) == 200:
            return SITE / route["file"]
    return None


class Seed:
    """The seed page's visible text split into what is article and what is not."""

    def __init__(self, text: str):
        chunks = [c.strip() for c in re.split(r"\n\s*\n", text.strip())]
        self.title = chunks[0]
        sapo, inline = chunks[1].split("\n", 1)
        self.sapo = sapo
        split = inline.index(" Nhân sự chủ chốt")
        self.inline_titles = [inline[:split].strip(), inline[split + 1:].strip()]
        self.paragraphs: list[str] = []
        self.captions: list[str] = []
        i = 2
        while chunks[i] != "P.Ngân":
            lines = chunks[i].split("\n")
            if lines[0] == self.title and len(lines) == 2:
                self.captions.append(lines[1])
            else:
                assert len(lines) == 1, chunks[i]
                self.paragraphs.append(lines[0])
            i += 1
        self.author = chunks[i]
        rest = text.split("Nên xem", 1)[1]
        nen, khac = rest.split("\nTin khác\n", 1)
        self.nen_xem = _doubled_titles(nen)
        self.tin_khac = _doubled_titles(khac)

    @property
    def related_titles(self) -> list[str]:
        return self.inline_titles + self.nen_xem + self.tin_khac


def _doubled_titles(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    out = []
    for a, b in zip(lines, lines[1:]):
        if a == b and a not in out:
            out.append(a)
    return out


@pytest.fixture(scope="session")
def seed() -> Seed:
    return Seed(SEED_TEXT.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def reference_html() -> bytes:
    return REFERENCE.read_bytes()
