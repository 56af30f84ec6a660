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
