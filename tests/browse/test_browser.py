"""What a person sees: `ldtd serve` opened in a real headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from scraper.storage import read
from scraper.storage.search import CANNED_SEARCH_LIMIT
from scraper.storage.search import search as search_archive
from tests.query.builders import HOSTILE_ID, HOSTILE_TITLE, SEED_ID, SEED_TITLE, records

RECORDS = {r["id"]: r for r in records()}
SEED = RECORDS[SEED_ID]


def _external_non_images(page) -> list[str]:
    return [r for r in page.external_requests if not r.startswith("image ")]


def _screenshot(page, tmp_path):
    """One screenshot of the article page (set LDTD_SCREENSHOT_DIR to keep a copy to look at)."""
    shot = tmp_path / "article.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    keep = os.environ.get("LDTD_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "article.png")


def test_search_without_diacritics_then_open_the_article(browser_page, server, tmp_path):
    page = browser_page
    page.goto(server + "/")
    page.fill("#ldtd-q", "ra soat bang cap")
    with page.expect_navigation():
        page.press("#ldtd-q", "Enter")
    assert "/search?q=ra+soat+bang+cap" in page.url
    headline = page.get_by_role("link", name=SEED_TITLE)
    headline.first.wait_for()
    assert page.locator(".ldtd-lead mark").count() > 0  # highlighted snippet

    with page.expect_navigation():
        headline.first.click()
    assert page.url.endswith(f"/articles/{SEED_ID}")
    _screenshot(page, tmp_path)
    assert page.locator("h1.ldtd-title").inner_text() == SEED_TITLE
    body = page.locator("#ldtd-body")
    first_paragraph = SEED["body"].split("\n\n")[0]
    assert first_paragraph[:60] in body.inner_text()
    assert body.locator("p").count() >= 2  # real paragraphs, not escaped markup
    related = page.locator("#ldtd-related")
    related_text = related.inner_text()
    archived_links = related.locator("a", has=page.locator("xpath=self::*")).count()
    assert f"Related links ({len(SEED['related'])})" in related_text
    for link in SEED["related"][:3]:
        target = RECORDS.get(int(re.search(r"-(\d+)\.html", link["url"]).group(1)))
        assert (target["title"] if target else link["title"]) in related_text
    assert archived_links >= 1
    if SEED["images"]:
        assert page.locator(".ldtd-images figure").count() == len(SEED["images"])

    # an archived related article opens in the archive itself
    archived = related.locator("a", has_text=re.compile(".+")).filter(
        has=page.locator("xpath=self::a[contains(@href, '/articles/')]"))
    if archived.count():
        with page.expect_navigation():
            archived.first.click()
        assert re.search(r"/articles/\d+$", page.url) and page.locator("h1.ldtd-title").count() == 1
        page.go_back()

    assert not _external_non_images(page), page.external_requests


def test_hostile_article_runs_nothing(browser_page, server):
    page = browser_page
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{server}/archive/articles/{HOSTILE_ID}")
    page.wait_for_load_state("load")
    assert page.locator("h1.ldtd-title").inner_text() == HOSTILE_TITLE
    body = page.locator("#ldtd-body")
    assert "Đoạn mở đầu an toàn." in body.inner_text() and "Đoạn kết an toàn." in body.inner_text()
    # interact with everything the hostile markup hoped someone would touch
    for text in ("Nhấn vào đây", "liên kết độc"):
        loc = page.get_by_text(text)
        if loc.count():
            loc.first.hover()
            loc.first.click()
    page.mouse.move(10, 10)
    page.wait_for_timeout(300)
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert "PWNED" not in page.title() and HOSTILE_TITLE in page.title()
    assert not dialogs
    assert page.evaluate("document.querySelectorAll('#ldtd-body script, #ldtd-body iframe, #ldtd-body style').length") == 0
    handlers = page.evaluate(
        "Array.from(document.querySelectorAll('article *')).flatMap(e => Array.from(e.attributes)"
        ".filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)).map(a => e.tagName + ' ' + a.name))"
    )
    assert handlers == []
    assert page.url.endswith(f"/articles/{HOSTILE_ID}")  # no javascript: navigation happened
    assert not _external_non_images(page), page.external_requests


def test_charts_page_draws_without_external_resources(browser_page, server):
    page = browser_page
    page.goto(server + "/-/ldtd/charts")
    assert page.locator("svg.ldtd-chart").count() == 3
    assert page.locator("svg.ldtd-days rect.ldtd-bar").count() >= len({r["published_at"][:10] for r in RECORDS.values()})
    assert page.external_requests == []


def test_articles_table_search_box_takes_any_input(browser_page, server, archive_file):
    """The articles table's own search box: words (without diacritics) lead to the best matches first, in
    `ldtd search`'s order, where the box keeps them and a second search replaces the first; input with no
    word to search (a lone quote, an empty box) or none it can read shows the table, never Datasette's
    400 "fts5: syntax error"."""
    page = browser_page

    def search(box, text):
        page.fill(box, text)
        with page.expect_navigation() as nav:
            page.press(box, "Enter")
        return nav.value

    page.goto(server + "/archive/articles")
    response = search("#_search", "dao tao")
    assert response.status == 200 and "/archive/search?q=dao+tao" in page.url
    found = search_archive(read.open_readonly(archive_file), "dao tao", limit=CANNED_SEARCH_LIMIT)
    expected = [r["id"] for r in found]
    newest_first = [r["id"] for r in sorted(found, key=lambda r: r["published_at"], reverse=True)]
    shown = [int(i) for i in page.locator("ol.ldtd-ranked > li").evaluate_all(
        "items => items.map(li => li.dataset.articleId)")]
    assert len(shown) > 2 and shown == expected != newest_first  # ranked, not the table's order
    assert page.get_by_role("link", name=SEED_TITLE).count() == 1  # the seed is among them, linked
    assert page.input_value("#ldtd-q") == "dao tao"
    response = search("#ldtd-q", "zzzqqq khong co")
    assert response.status == 200 and SEED_TITLE not in page.content() and "No article matches" in page.content()
    for odd in ('"', "", "covid-19 AND (", "đào tạo*"):
        page.goto(server + "/archive/articles")
        response = search("#_search", odd)
        assert response.status == 200, (odd, page.inner_text("body")[:300])
        assert "syntax error" not in page.content()
    assert not _external_non_images(page), page.external_requests
