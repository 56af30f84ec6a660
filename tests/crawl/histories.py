"""The suite's shared crawl histories (session fixtures, registered once by tests/conftest.py so that
tests/crawl and tests/hardening share each one: a fixture imported into two conftests would run twice).
Each is one real crawl sequence against the replica; several tests, in several files, assert on it."""

from __future__ import annotations

import subprocess

import pytest

from scraper.replica import faults as F
from tests.hardening.hostile import hostile_page, page_file

from .conftest import (CANONICAL, ROOT, CrawlRun, archive_content, copy_db, crawl_cmd, db_rows, expected_records,
                       replica_server_class, snapshot_time)


@pytest.fixture(scope="session")
def reference(tmp_path_factory):
    """One uninterrupted, fault-free backfill of the base replica for the whole suite: what every
    faulty, killed or resumed history must end up equal to, and the backfill the completeness checks
    read (its run, and every request the replica served it). It runs on the one-core path (no store
    process: inline parse, writer thread), which CI's two-core machines never take by default; every
    other crawl takes the default path, so the comparisons also say that both store the same archive."""
    d = tmp_path_factory.mktemp("reference")
    db = d / "reference.db"
    with replica_server_class()(state="base") as server:
        stats = d / "stats.json"
        proc = subprocess.run(crawl_cmd(db, server.base_url, "--backfill", now=snapshot_time("base"), stats=stats,
                                        settings={"LDTD_STORE_PROCESS": "0"}),
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        served = list(server.requests)
    run = CrawlRun(proc, stats)
    assert run.returncode == 0, run
    return Reference(db, run, served)


class Reference:
    def __init__(self, db: Path, run: "CrawlRun", served: list):
        self.db, self.run, self.served = db, run, served


# The history `misbehaving` plays: what its first crawl meets on the base replica
DEEP = 184589  # a 2024 article: deep in its listings, linked by no recent page, in a 2024 sitemap
HOSTILE = (164585, 164520, 81759)  # served with script/style/URL payloads in their bodies (three templates)
HOSTILE_REDESIGN = 184688  # served as its hostile redesign page (the generic extraction)
TO_INTERNAL, TO_OTHER_PORT = 84021, 81802  # redirected off the site (127.0.0.2; another port of the mirror's host)
SECRET = "Bí mật của máy chủ nội bộ 7f3a"


def article_path(aid: int, state: str = "base") -> str:
    """The replica path of an article id ("/slug-123.html")."""
    return expected_records(state)[aid]["url"][len(CANONICAL):]


@pytest.fixture(scope="session")
def misbehaving(tmp_path_factory):
    """One history for three checks that each need a site misbehaving in its own way, on articles no
    other check of it looks at: a backfill of the base replica while DEEP answers 404 (so that it is
    missing from the archive, as if it appeared later, deep in a listing), HOSTILE pages are served with
    payloads, and two articles redirect off the site (to an internal service on 127.0.0.2 and to another
    port of the mirror's host, both serving the article's page with SECRET in it); then, a week later
    and with no sitemap advertised any more, a plain run (a periodic full walk: it must find DEEP)."""
    server = replica_server_class()
    d = tmp_path_factory.mktemp("misbehaving")
    db = d / "archive.db"
    html = page_file("base", TO_INTERNAL).read_text(encoding="utf-8")
    assert "</h1>" in html
    internal_page = html.replace("</h1>", f"</h1><p>{SECRET}</p>", 1).encode("utf-8")
    served = F.content_type("text/html; charset=utf-8", body=internal_page)
    out = {"db": db}
    with server("base", host="127.0.0.2", faults={"re:.": served}) as internal, \
            server("base", faults={"re:.": served}) as other_port, server("base") as site:
        out["to_internal"] = f"{internal.base_url}{article_path(TO_INTERNAL)}"
        out["to_other_port"] = f"{other_port.base_url}{article_path(TO_OTHER_PORT)}"
        site.add_fault(article_path(TO_INTERNAL), F.redirect(out["to_internal"]))
        site.add_fault(article_path(TO_OTHER_PORT), F.redirect(out["to_other_port"], code=301))
        site.add_fault(article_path(DEEP), F.status(404))
        for aid in HOSTILE:
            site.add_fault(article_path(aid), F.content_type("text/html; charset=utf-8", hostile_page("base", aid)))
        site.add_fault(article_path(HOSTILE_REDESIGN),
                       F.content_type("text/html; charset=utf-8", hostile_page("redesign", HOSTILE_REDESIGN)))
        out["backfill"] = _run(db, site.base_url, d, "backfill", "--backfill", now=snapshot_time("base"))
        out["ids_after_backfill"] = {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
        site.remove_fault(article_path(DEEP))
        site.add_fault("/robots.txt", F.content_type("text/plain", b"User-agent: *\nDisallow: /adsfw/\n"))
        start = len(site.requests)
        out["week_later"] = _run(db, site.base_url, d, "week-later", now="2026-12-02T18:00:00+07:00")
        out["week_later_served"] = site.requests[start:]
        out["foreign_requests"] = internal.requests + other_port.requests
    return out


def _run(db, base_url, d, name, *args, now) -> "CrawlRun":
    stats = d / f"{name}.json"
    proc = subprocess.run(crawl_cmd(db, base_url, *args, now=now, stats=stats), cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    return CrawlRun(proc, stats)


RENAMED = 202962  # day2 links it under a new URL; here its archived URL answers 404 (renamed without a redirect)
LATER = "2026-12-30T18:00:00+07:00"  # a month on: nothing of the replica is in the recrawl window


@pytest.fixture(scope="session")
def day2_history(reference, tmp_path_factory):
    """The reference backfill, then a day later (day2, with a recrawl window of 5 days that holds the
    renamed article), then again the same day, then a month on."""
    d = tmp_path_factory.mktemp("incremental")
    db = copy_db(reference.db, d / "archive.db")
    out = {"db": db, "backfill_requests": len(reference.served)}

    def crawl(name, *args, now):
        stats = d / f"{name}.json"
        start = len(replica.requests)
        proc = subprocess.run(crawl_cmd(db, replica.base_url, *args, now=now, stats=stats), cwd=ROOT,
                              capture_output=True, text=True, timeout=240)
        out[name] = CrawlRun(proc, stats)
        out[f"{name}_served"] = replica.requests[start:]

    with replica_server_class()(state="day2") as replica:
        replica.add_fault(expected_records("base")[RENAMED]["url"][len(CANONICAL):], F.status(404))
        crawl("day2", "--recrawl-days", "5", now=snapshot_time("day2"))
        out["versions_after_day2"] = db_rows(db, "SELECT article_id, url, title FROM article_versions")
        out["content_after_day2"] = archive_content(db)
        crawl("again", "--recrawl-days", "5", now=snapshot_time("day2"))
        crawl("later", now=LATER)
    return out
