"""The site under fire: one session history of two real `ldtd crawl` runs against a base replica that
misbehaves in every way the fault, transfer, hostile-page, off-site and periodic-walk tests need, each
article playing one part (constants below). Tests only read it (`site_under_fire`, registered by
tests/conftest.py).

Crawl 1, "backfill" (`--backfill` into an empty archive, LDTD_NOW = the base snapshot, settings FIRE):
- navigation: every /thoi-su listing answers 503, every /van-hoa listing redirects to itself, the
  sitemap index is cut, the kinh-te feed is broken XML, every other feed answers 404 (links the site
  still advertises), robots.txt answers 500 (so no sitemap is advertised); the home page links sister
  subdomains, a social network and a CDN (FOREIGN_LINKS);
- articles that clear on retry inside the run (TRANSIENT: 503 twice, 500 once, 429 + Retry-After 2 s,
  one answer slower than DOWNLOAD_TIMEOUT) or that lie about their charset or content type (CHARSET):
  the exact record is archived;
- articles that fail for good (FAILING, with the reason each leaves in the run's record): 503, a
  Retry-After longer than LDTD_RETRY_AFTER_MAX, always too slow, a connection dropped mid-body, a page
  cut inside its text (Content-Length matching), an endless page, redirect loops (to itself, through a
  "browser check" page, two articles to each other), a soft 404, a PDF, an empty page;
- DEEP answers 404 (as if it appeared later, deep in its listing);
- HOSTILE pages carry script/style/URL payloads (three templates), HOSTILE_REDESIGN is served as its
  hostile redesign page (the generic extraction);
- TO_INTERNAL and TO_OTHER_PORT redirect off the site (to 127.0.0.2, to another port of the mirror's
  host; both of those serve the article with SECRET in it);
- transfers: N1 is sent without Content-Length and cut after its article (archived, marked as a cut
  transfer), N2 the same but cut inside its article (TruncatedPage); A1's URL serves B1's page while B1
  answers 503 (archived as B1, alias recorded); U's URL serves its body alone (a fragment: no title).

Crawl 2, "week_later": a plain incremental run a week later (LDTD_NOW = WEEK_LATER, `--recrawl-days
RECRAWL_DAYS`: the window holds the 17 newest articles, WINDOW; settings FIRE plus
DOWNLOAD_FAIL_ON_DATALOSS off). The first crawl left holes, so it completes that backfill with a full
walk (its own incremental work on top: the window, gone checks) and the last full walk is a week old
anyway. The crawl-1 faults are gone except the off-site redirects, the hostile pages and the home
page's foreign links; robots.txt advertises no sitemap; what it meets in the window:
- archived articles answering broken (ARCHIVED: cut inside the text, cut after the article with
  Content-Length matching, empty, soft 404, a JPEG, dropped mid-body, 503) and redirected away to the
  home page or a listing (REDIRECTED_AWAY);
- EDITED serves its day-2 (edited) page, DELETED answers 404 as on day 2 (the day-2 pages served, EDITED's
  and B2's, link day 2's new articles: unknown, asked for, 404 here);
- transfers: P1 cut after its article without Content-Length (the whole copy is kept), P2 whole without
  Content-Length, P3 dropped mid-body (flagged "dataloss": fails all the same), A2's URL serves B2's
  day-2 page (other text: a conflict), A3's URL serves B3's page (its archived text: stored as B3);
- N1, outside the window, is fetched again (a cut transfer is refetched until a whole copy comes); what
  failed in crawl 1 is unknown to the archive and fetched; DEEP is on the listing pages the full walk
  reaches.

Each article plays one part, but for four window articles (TRANSIENT) that play one in each crawl: their
first-crawl fault clears inside the run, so the second meets a good copy. Parts that moved from the
histories this one replaces (an id two of them faulted, or a part needing a window article or an older
one): NEW's drop 184589 -> 184528 (184589 is DEEP), its wrong <meta charset> 184688 -> 184530 (184688 is
HOSTILE_REDESIGN), its transients 184528/184530/184545/184660 -> 203072/203020/202999/202899; ARCHIVED's
cut inside 202985 -> 202899, soft 404 203010 -> 202915, drop 203050 -> 202877 (202985 is B2, 203050 and
203010 day 2's edit and deletion); the transfers' N1, N2, A1, B1, U 202877/202915/202899/202940/202860 ->
184545/184660/82410/83155/164547 (N1 older than the window), P1 203020 -> 202860, P2 203050 -> 202835,
P3 203010 -> 202811, A2 202999 -> 202790, A3 203033 -> 202768, B3 203072 -> 202594.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta

import pytest

from scraper.parsing.article import parse_article
from scraper.parsing.errors import OPEN_END_WARNING, TruncatedPage
from scraper.replica import faults as F
from scraper.replica.server import SITE_DIR
from scraper.storage.archive import Archive
from tests.hardening.hostile import hostile_page, page_file

from .conftest import CANONICAL, ROOT, CrawlRun, crawl_cmd, db_rows, expected_records, replica_server_class, snapshot_time

WEEK_LATER = "2026-12-02T18:00:00+07:00"  # a week after the backfill (the last full walk)
RECRAWL_DAYS = "17"  # window from 2026-11-15T18:00: the 17 newest articles (202768 and later), not 202750
# DOWNLOAD_TIMEOUT 2 s (the slow pages sleep 5 s: slack for a loaded machine), DOWNLOAD_MAXSIZE 1 MiB and
# DOWNLOAD_WARNSIZE 256 KiB (the endless page), RETRY_TIMES 3 (the project's default)
FIRE = {"DOWNLOAD_TIMEOUT": "2", "DOWNLOAD_MAXSIZE": str(1 << 20), "DOWNLOAD_WARNSIZE": str(256 << 10)}
SLOW = 5
LOOP_VIA = "/kiem-tra-trinh-duyet&return=1"  # a "browser check" page that sends you back
SECRET = "Bí mật của máy chủ nội bộ 7f3a"

# -- crawl 1 ---------------------------------------------------------------------------------------------------
DEEP = 184589  # a 2024 article deep in the /thoi-su and home listings; 404 in crawl 1
DEEP_LISTING_PAGES = ("/thoi-su&s_cond=&BRSR=4", "/&s_cond=&BRSR=30")  # the listing pages that show it
HOSTILE = (164585, 164520, 81759)  # served with script/style/URL payloads in their bodies (three templates)
HOSTILE_REDESIGN = 184688  # served as its hostile redesign page (the generic extraction)
TO_INTERNAL, TO_OTHER_PORT = 84021, 81802  # redirected off the site (127.0.0.2; another port of the mirror's host)
# cleared on retry inside crawl 1 (window articles: crawl 2 refetches their good copies under ARCHIVED faults)
T_503, T_500, T_429, T_SLOW = 203072, 203020, 202999, 202899
# lying charsets and content types: the exact record anyway
CHARSET = {
    184670: F.charset("text/html; charset=windows-1252"),
    202610: F.charset("text/html; charset=windows-1252", strip_meta=True),
    184530: F.charset("text/html; charset=utf-8", meta="windows-1252"),
    184693: F.charset(None, strip_meta=True),
    202594: F.charset("text/html", bom=True, strip_meta=True),
    202655: F.content_type("application/octet-stream"),
}
# transfers and pages that say they are another article
N1, N2, A1, B1, U = 184545, 184660, 82410, 83155, 164547
FOREIGN_LINKS = ('<a href="https://facebook.com/sharer?u=x">f</a>'
                 '<a href="https://lamgiau.laodongthudo.vn/thoi-su">sister</a>'
                 '<a href="https://lamgiau.laodongthudo.vn/bai-khac-222222.html">s</a>'
                 '<a href="https://cdn.example.com/x-777777.html">cdn</a>')
FOREIGN_PATHS = ("/sharer", "/bai-khac-222222.html", "/x-777777.html")

# -- crawl 2 (the window's articles) ----------------------------------------------------------------------------
EDITED, DELETED = 203050, 203010  # day 2's edit and deletion, served a week later
P1, P2, P3, A2, B2, A3, B3 = 202860, 202835, 202811, 202790, 202985, 202768, 202594
REDIRECTED_AWAY = {202962: "/", 202940: "/kinh-te"}  # archived articles redirected to the home page, a listing


def path_of(aid: int, state: str = "base") -> str:
    """The replica path of an article id ("/slug-123.html")."""
    return expected_records(state)[aid]["url"][len(CANONICAL):]


article_path = path_of


def page(aid: int, state: str = "base") -> bytes:
    routes = json.loads((SITE_DIR / state / "routes.json").read_text(encoding="utf-8"))
    return (SITE_DIR / routes[path_of(aid, state)]["file"]).read_bytes()


def cut_after_article(aid: int) -> float:
    """A fraction of the page that ends after its article, in the sidebar/footer, before </body>."""
    data = page(aid)
    at = data.rfind(b"</body>") - 400
    rec = parse_article(data[:at], expected_records("base")[aid]["url"])  # (the parser's view: whole)
    assert rec.body == expected_records("base")[aid]["body"] and OPEN_END_WARNING in rec.extraction.warnings
    return (at + 0.5) / len(data)


def cut_inside_article(aid: int) -> float:
    """A fraction of the page that ends inside its article's second paragraph."""
    data = page(aid)
    second = expected_records("base")[aid]["body"].split("\n\n")[1][:20].encode()
    at = data.find(second) + 10
    with pytest.raises(TruncatedPage):
        parse_article(data[:at], expected_records("base")[aid]["url"])
    return (at + 0.5) / len(data)


def fragment(aid: int) -> bytes:
    from lxml import etree, html

    body = html.fromstring(page(aid)).find_class("__MASTERCMS_CONTENT")[0]
    return etree.tostring(body, encoding="utf-8", with_tail=False)


def html_body(data: bytes) -> F.FaultSpec:
    """A 200 with this page: another page served at the faulty URL."""
    return F.content_type("text/html; charset=utf-8", body=data)


# article id -> (fault in crawl 1, expected reason in its crawl_runs.errors, or None: archived in crawl 1)
NEW = {
    T_503: (F.status(503, times=2), None),
    T_500: (F.status(500, times=1), None),
    T_429: (F.too_many(retry_after=2), None),
    T_SLOW: (F.slow(SLOW, times=1), None),
    184566: (F.status(503), "fetch: HTTP 503"),
    202750: (F.too_many(retry_after=600), "fetch: HTTP 429"),  # longer than LDTD_RETRY_AFTER_MAX: left for the next run
    184571: (F.slow(SLOW), "fetch: DownloadTimeoutError"),
    184528: (F.drop(0.5), "fetch: ResponseDataLossError"),
    184598: (F.truncate(0.37), "parse TruncatedPage"),  # cut inside the article's text
    184605: (F.endless(), "fetch: DownloadCancelledError"),
    184612: (F.redirect_loop(), "fetch: RedirectLoopError"),
    184690: (F.redirect_loop(to=LOOP_VIA), "fetch: RedirectLoopError"),
    # two articles redirecting to each other: each redirect targets a URL the crawl requests anyway
    202701: (F.redirect_loop(to=path_of(202722)), "fetch: RedirectLoopError"),
    202722: (F.redirect_loop(to=path_of(202701)), "fetch: RedirectLoopError"),
    184650: (F.soft_404(), "parse NotAnArticle: soft 404"),
    184662: (F.content_type("application/pdf", F.PDF_BYTES), "parse NotAnArticle: not an HTML page"),
    184695: (F.empty(), "parse NotAnArticle"),
    **{aid: (spec, None) for aid, spec in CHARSET.items()},
}
FAILING = {aid for aid, (_f, reason) in NEW.items() if reason}
TRANSIENT = {T_503, T_500, T_429, T_SLOW}
NAVIGATION = {"re:^/thoi-su": F.status(503), "re:^/van-hoa": F.redirect_loop(), "/sitemap.xml": F.truncate(0.5),
              "re:^/rss_feed/kinh-te": F.content_type("text/xml", b"<rss><channel><item><link>"),
              "re:^/rss": F.status(404), "/robots.txt": F.status(500)}

# crawl 2: archived articles refetched while broken; none may replace or version the good copy
ARCHIVED = {
    202899: (lambda: F.truncate(cut_inside_article(202899)), "parse TruncatedPage"),  # cut inside the article's text
    # cut after the article, before the page ends, Content-Length matching: the article is whole (it
    # parses, with a warning) and its text the archived one's: the good copy is kept, nothing fails
    203033: (lambda: F.truncate(0.97), None),
    202999: (F.empty, "parse NotAnArticle"),
    202915: (F.soft_404, "parse NotAnArticle: soft 404"),
    203020: (lambda: F.content_type("image/jpeg", F.JPEG_BYTES), "parse NotAnArticle: not an HTML page"),
    202877: (lambda: F.drop(0.8), "fetch: ResponseDataLossError"),
    203072: (lambda: F.status(503), "fetch: HTTP 503"),
}
# the newest articles, refetched by crawl 2 (published at or after window_start())
WINDOW = {*ARCHIVED, *REDIRECTED_AWAY, EDITED, DELETED, P1, P2, P3, A2, B2, A3}
# articles crawl 1 could not archive (their own URL failed, went off-site, or served another article)
UNARCHIVED_AFTER_BACKFILL = FAILING | {DEEP, TO_INTERNAL, TO_OTHER_PORT, N2, A1, U}


def window_start() -> str:
    """Where crawl 2's recrawl window starts (ISO: compares as text with the records' published_at)."""
    start = datetime.fromisoformat(WEEK_LATER) - timedelta(days=float(RECRAWL_DAYS))
    return start.isoformat()


def home_with_foreign_links() -> bytes:
    routes = json.loads((SITE_DIR / "base" / "routes.json").read_text(encoding="utf-8"))
    html = (SITE_DIR / routes["/"]["file"]).read_text(encoding="utf-8")
    at = html.find(">", html.find("<body")) + 1
    assert at > 0
    return (html[:at] + FOREIGN_LINKS + html[at:]).encode("utf-8")


def record(db, aid: int) -> dict | None:
    with Archive.open(db, migrate=False) as archive:
        return archive.record(aid)


def last_run(db) -> dict:
    row = db_rows(db, "SELECT * FROM crawl_runs ORDER BY id DESC LIMIT 1")[0]
    row["errors"] = json.loads(row["errors"] or "[]")
    return row


@pytest.fixture(scope="session")
def site_under_fire(tmp_path_factory):
    """The two crawls of the module docstring; what each test needs of them, in a dict."""
    server = replica_server_class()
    d = tmp_path_factory.mktemp("site-under-fire")
    db = d / "archive.db"
    html = page_file("base", TO_INTERNAL).read_text(encoding="utf-8")
    assert "</h1>" in html
    internal_page = html.replace("</h1>", f"</h1><p>{SECRET}</p>", 1).encode("utf-8")
    serves_secret = F.content_type("text/html; charset=utf-8", body=internal_page)
    out = {"db": db}

    def crawl(site, name, *args, now, settings):
        stats = d / f"{name}.json"
        start = len(site.requests)
        proc = subprocess.run(crawl_cmd(db, site.base_url, *args, now=now, stats=stats, settings=settings),
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        out[name] = CrawlRun(proc, stats)
        out[f"{name}_row"] = last_run(db)
        out[f"{name}_served"] = site.requests[start:]

    with server("base", host="127.0.0.2", faults={"re:.": serves_secret}) as internal, \
            server("base", faults={"re:.": serves_secret}) as other_port, server("base") as site:
        out["to_internal"] = f"{internal.base_url}{path_of(TO_INTERNAL)}"
        out["to_other_port"] = f"{other_port.base_url}{path_of(TO_OTHER_PORT)}"
        # faults that stay for both crawls
        staying = {path_of(TO_INTERNAL): F.redirect(out["to_internal"]),
                   path_of(TO_OTHER_PORT): F.redirect(out["to_other_port"], code=301),
                   **{path_of(aid): html_body(hostile_page("base", aid)) for aid in HOSTILE},
                   path_of(HOSTILE_REDESIGN): html_body(hostile_page("redesign", HOSTILE_REDESIGN)),
                   "/": html_body(home_with_foreign_links())}
        first = {**staying, **{path_of(aid): spec for aid, (spec, _r) in NEW.items()},
                 LOOP_VIA: F.redirect_loop(to=path_of(184690)),
                 path_of(DEEP): F.status(404),
                 path_of(N1): F.unframed(cut_after_article(N1)),
                 path_of(N2): F.unframed(cut_inside_article(N2)),
                 path_of(A1): html_body(page(B1)),
                 path_of(B1): F.status(503),
                 path_of(U): html_body(fragment(U)),
                 **NAVIGATION}
        for key, spec in first.items():
            site.add_fault(key, spec)
        crawl(site, "backfill", "--backfill", now=snapshot_time("base"), settings=FIRE)
        out["hits"] = {aid: NEW[aid][0].hits for aid in NEW}
        out["early"] = {aid: NEW[aid][0].early for aid in NEW}
        out["ids_after_backfill"] = {r["id"] for r in db_rows(db, "SELECT id FROM articles")}
        out["records_after_backfill"] = {aid: record(db, aid) for aid in expected_records("base")}
        out["foreign_hits"] = first["/"].hits

        site.clear_faults()
        second = {**staying,
                  "/robots.txt": F.content_type("text/plain", b"User-agent: *\nDisallow: /adsfw/\n"),
                  **{path_of(aid): make() for aid, (make, _r) in ARCHIVED.items()},
                  **{path_of(aid): F.redirect_loop(to=to) for aid, to in REDIRECTED_AWAY.items()},
                  path_of(EDITED): html_body(page(EDITED, "day2")),
                  path_of(DELETED): F.status(404, body=(SITE_DIR / "day2" / "misc" / "404.html").read_bytes()),
                  path_of(P1): F.unframed(cut_after_article(P1)),
                  path_of(P2): F.unframed(1.0),
                  path_of(P3): F.drop(0.5),
                  path_of(A2): html_body(page(B2, "day2")),
                  path_of(A3): html_body(page(B3))}
        for key, spec in second.items():
            site.add_fault(key, spec)
        crawl(site, "week_later", "--recrawl-days", RECRAWL_DAYS, now=WEEK_LATER,
              settings={**FIRE, "DOWNLOAD_FAIL_ON_DATALOSS": "False"})
        out["week_later_hits"] = {aid: second[path_of(aid)].hits for aid in (*ARCHIVED, P1, P2, P3, A2, A3)}
        out["foreign_requests"] = internal.requests + other_port.requests
    return out
