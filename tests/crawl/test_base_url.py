"""--base-url: refused clearly when it is not a URL. (A mirror under a path prefix is crawled under it:
tests/crawl/test_lock.py, whose scrapy crawl goes through one.)"""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def test_a_base_url_without_scheme_is_refused_before_anything_runs(tmp_path):
    db = tmp_path / "a.db"
    for bad in ("127.0.0.1:18001", "ftp://127.0.0.1/", "http://", "http://127.0.0.1:8765/?x=1"):
        p = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "--base-url", bad],
                           cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert p.returncode == 2, (bad, p.stderr)
        assert "--base-url" in p.stderr and "Traceback" not in p.stderr, p.stderr
    p = subprocess.run([sys.executable, "-m", "scraper.cli", "crawl", "--db", str(db), "-s",
                        "LDTD_BASE_URL=127.0.0.1:18001"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert not db.exists()  # no run recorded (the next run would have resumed from an "interrupted" one)
