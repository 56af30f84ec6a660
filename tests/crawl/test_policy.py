"""The crawl's decisions on archive states, without a crawl (`scraper.crawl.policy`): the run's plan
(full walk or not, where it stops going back, what unfinished run it completes), which articles it
requests, when a listing's paging stops, what a resume adds, which failed pages are holes in the walk."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from scraper.crawl import policy
from scraper.crawl.policy import ArchiveState, Options, Resume, keep_paging, plan, wanted
from scraper.text import HANOI

B = "https://laodongthudo.vn"
NOW = datetime(2026, 11, 25, 18, tzinfo=HANOI)  # the base replica's snapshot time
DAY = timedelta(days=1)
COMPLETE = ArchiveState(has_complete_run=True, last_full_walk=NOW - DAY, last_complete_start=NOW - DAY)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def row(aid=100, url=None, published="2026-01-01T08:00:00+07:00", fetched="2026-11-24T18:00:00+07:00", gone=None,
        refetch=0):
    """An archive row as `Archive.known` gives it."""
    return {"url": url or f"{B}/a-{aid}.html", "published_at": published, "last_fetched_at": fetched,
            "gone_at": gone, "content_hash": "x", "refetch": refetch}


# -- the plan -------------------------------------------------------------------------------------------------
def test_a_first_crawl_walks_everything_and_a_backfill_always_does():
    p = plan(ArchiveState(), Options(now=NOW))
    assert (p.mode, p.walk, p.since, p.resume_since) == ("incremental", "full", None, None)
    p = plan(COMPLETE, Options(mode="backfill", now=NOW))
    assert p.backfill and p.full_walk and p.periodic_last is None
    assert p.window_start == NOW - 3 * DAY


def test_after_a_complete_walk_an_incremental_run_stops_early():
    p = plan(COMPLETE, Options(now=NOW))
    assert p.walk == "incremental" and p.since is None and not p.completing_backfill


def test_a_killed_or_holed_run_is_completed_by_a_full_walk():
    killed = Resume(since=NOW - DAY, mode="backfill")
    p = plan(replace(COMPLETE, resume=killed), Options(now=NOW))
    assert p.full_walk and p.completing_backfill and p.resume_since == NOW - DAY and p.resume_mode == "backfill"
    assert p.mode == "incremental"  # its own incremental work too (recrawl window, gone checks, newer dates)
    holes = Resume(since=NOW - DAY, mode="incremental")
    p = plan(replace(COMPLETE, resume=holes), Options(now=NOW))
    assert p.full_walk and not p.completing_backfill and p.resume_since == NOW - DAY


def test_an_interrupted_backfill_since_is_completed_back_to_its_since_only():
    since = at("2026-11-01T00:00:00+07:00")
    state = ArchiveState(resume=Resume(since=NOW - DAY, mode="backfill", since_arg=since), lower_bound=since)
    p = plan(state, Options(now=NOW))
    assert p.since == since and p.since_source == "resume" and p.completing_backfill and p.full_walk
    # an explicit --since is the operator's, whatever the log says
    p = plan(state, Options(now=NOW, since=at("2026-11-20T00:00:00+07:00")))
    assert p.since == at("2026-11-20T00:00:00+07:00") and p.since_source is None


def test_incremental_runs_keep_to_the_archives_lower_bound():
    """After `--backfill --since D`, hourly runs do not page, fetch or follow links past D (the start of
    that day in Hanoi); a backfill without --since lifts the bound (the state's lower bound is None)."""
    bound = at("2026-11-01T10:30:00+07:00")
    p = plan(replace(COMPLETE, lower_bound=bound), Options(now=NOW))
    assert p.since == at("2026-11-01T00:00:00+07:00") and p.since_source == "floor" and p.walk == "incremental"
    p = p.with_floor(203000)
    assert policy.before_floor(p, 202999) and not policy.before_floor(p, 203000)
    assert not wanted(p, 100, None) and wanted(p, 203001, None)  # an undated unknown id below the floor
    assert policy.follows_links(p) and not policy.linked_id_worth_a_look(p, 100)
    assert plan(COMPLETE, Options(now=NOW)).since is None
    # a backfill has its own bound: --since or none
    assert plan(replace(COMPLETE, lower_bound=bound), Options(mode="backfill", now=NOW)).since is None


def test_an_incremental_run_walks_every_listing_once_a_week():
    last = at("2026-11-24T18:00:00+07:00")
    state = replace(COMPLETE, last_full_walk=last)
    p = plan(state, Options(now=at("2026-12-02T18:00:00+07:00")))
    assert p.full_walk and p.periodic_last.startswith("2026-11-24") and p.mode == "incremental"
    assert p.resume_since is None  # a walk, not a resume: only unknown articles are fetched
    assert not wanted(p, 100, row(published="2026-01-01T08:00:00+07:00"))
    # the next runs are incremental again, for another week; LDTD_FULL_WALK_DAYS changes the period, 0: never
    state = replace(COMPLETE, last_full_walk=at("2026-12-02T18:00:00+07:00"))
    assert plan(state, Options(now=at("2026-12-03T18:00:00+07:00"))).walk == "incremental"
    assert plan(state, Options(now=at("2026-12-03T18:00:00+07:00"), full_walk_days=0.5)).walk == "full"
    assert plan(state, Options(now=at("2026-12-20T18:00:00+07:00"), full_walk_days=0)).walk == "incremental"
    assert plan(replace(COMPLETE, last_full_walk=None), Options(now=NOW)).periodic_last == "never"


def test_a_dead_listing_stops_forcing_full_walks():
    """A navigation page failing run after run (a dead menu link) is a hole (the next run walks every
    listing again) until it has failed LDTD_WALK_GIVE_UP runs in a row: then logged, no longer a hole;
    once it answers it is forgotten (the log keeps only this run's failures), and a later failure is a
    hole again."""
    dead = f"{B}/the-thao"
    state, walks, counts = COMPLETE, [], []
    for _ in range(5):
        p = plan(state, Options(now=NOW))
        walks.append(p.walk)
        assert policy.is_walk_page("listing", p.full_walk)
        n, given_up = policy.walk_hole(p, dead, state.walk_failures)
        counts.append(n)
        # what the next run reads: holes make it complete this one; the failures with their counts
        state = replace(state, walk_failures={dead: n},
                        resume=None if given_up else Resume(since=NOW, mode="incremental"))
    assert walks == ["incremental", "full", "full", "incremental", "incremental"], walks
    assert counts == [1, 2, 3, 4, 5]
    # back: the run that fetched it leaves no failure behind
    state = replace(state, walk_failures={})
    p = plan(state, Options(now=NOW))
    assert p.walk == "incremental" and policy.walk_hole(p, dead, state.walk_failures) == (1, False)
    assert policy.walk_hole(replace(p, walk_give_up=1), dead, {}) == (1, True)
    # articles are walk pages only in a full walk (an incremental run does not need every article)
    assert policy.is_walk_page("article", True) and not policy.is_walk_page("article", False)
    assert policy.is_walk_page("sitemap", False) and policy.is_walk_page("feed", False)
    assert not policy.is_walk_page("robots", True)


@pytest.mark.parametrize("raw, error", [
    ({"LDTD_MODE": "bogus"}, "LDTD_MODE must be incremental or backfill"),
    ({"LDTD_NOW": "yesterday"}, "LDTD_NOW must be an ISO 8601 date-time"),
])
def test_options_refuse_what_a_run_cannot_use(raw, error):
    from scraper.crawl.run import project_settings

    with pytest.raises(ValueError, match=error):
        Options.from_settings(project_settings(raw))


def test_options_from_the_settings():
    from scraper.crawl.run import project_settings

    o = Options.from_settings(project_settings({"LDTD_MODE": "Backfill", "LDTD_SINCE": "2026-11-20",
                                                "LDTD_NOW": "2026-11-25T18:00:00+07:00", "LDTD_RECRAWL_DAYS": "5",
                                                "LDTD_WALK_GIVE_UP": "0"}))
    assert (o.mode, o.since, o.now, o.recrawl_days, o.walk_give_up) == (
        "backfill", at("2026-11-20T00:00:00+07:00"), NOW, 5.0, 1)


# -- which articles ---------------------------------------------------------------------------------------------
def test_an_incremental_run_fetches_the_new_and_the_window_not_the_archive():
    p = plan(COMPLETE, Options(now=NOW))
    assert wanted(p, 203200, None)  # new
    assert wanted(p, 100, row(published="2026-11-24T08:00:00+07:00"))  # in the recrawl window
    assert not wanted(p, 100, row())  # archived, older than the window
    assert not wanted(p, 100, row(), signal=at("2026-11-20T08:00:00+07:00"))  # dated before its last fetch
    # a sitemap or feed dates it after the archived copy (an edit): refetched, with a tracking tag or not
    assert wanted(p, 100, row(), signal=at("2035-01-01T08:00:00+07:00"), source="feed")
    # a transfer that may have cut the page: refetched every run until a whole copy comes
    assert wanted(p, 100, row(refetch=1))
    assert policy.recrawl_since(p) == "2026-11-22T18:00:00+07:00"


def test_gone_articles_are_rechecked_when_linked_again_or_dated_after_they_went():
    later = plan(COMPLETE, Options(now=at("2026-12-30T18:00:00+07:00")))  # nothing in the window
    gone = row(published="2026-11-24T08:40:00+07:00", gone="2026-11-25T18:00:00+07:00")
    assert wanted(later, 100, gone, source="listing")  # a listing links it again: a 404 may be transient
    assert wanted(later, 100, gone, source="sitemap")  # listed undated
    assert wanted(later, 100, gone, signal=at("2026-11-26T00:00:00+07:00"), source="sitemap")
    assert not wanted(later, 100, gone, signal=at("2026-11-24T09:00:00+07:00"), source="sitemap")
    # in the window, gone or not, it is rechecked (the window query includes gone ones)
    assert wanted(plan(COMPLETE, Options(now=NOW)), 100, gone, signal=at("2026-11-24T09:00:00+07:00"))


def test_a_renamed_or_redirected_article_is_fetched_under_the_url_the_site_links():
    p = plan(COMPLETE, Options(now=NOW, recrawl_days=5))
    old, new = f"{B}/old-slug-100.html", f"{B}/new-slug-100.html"
    archived = row(url=old)
    assert wanted(p, 100, archived, url=new, source="listing")
    # asked for already this run under its archived URL (the window), and that answered 404: still asked
    assert wanted(p, 100, archived, url=new, asked={old})
    assert not wanted(p, 100, archived, url=new, asked={old, new})  # but only once
    assert not wanted(p, 100, archived, url=old, asked={old})
    assert not wanted(p, 100, row(url=new), url=new, asked={old})  # the record moved: nothing to do
    # the old URL's 404 once the new one answered 200 in this run: not a disappearance
    assert policy.superseded(True, 100, {100}) and not policy.superseded(True, 100, set())
    assert not policy.superseded(False, 100, {100})


def test_a_resumed_walk_still_follows_renames_and_newer_lastmods():
    """While a run completes an interrupted one (or walks again after holes), articles that run stored
    are not refetched, except when the site now links them under another URL or dates them later."""
    resume_since = datetime(2026, 11, 24, 10, tzinfo=HANOI)
    p = plan(replace(COMPLETE, resume=Resume(since=resume_since, mode="incremental")),
             Options(now=resume_since, recrawl_days=3))
    known = row(url=f"{B}/old-slug-100.html", fetched="2026-11-24T11:00:00+07:00")
    assert not wanted(p, 100, known, url=f"{B}/old-slug-100.html")  # stored by the interrupted run
    assert wanted(p, 100, known, url=f"{B}/new-slug-100.html")  # renamed since
    assert wanted(p, 101, known, url=f"{B}/old-slug-100.html", signal=datetime(2026, 11, 24, 12, tzinfo=HANOI))


def test_completing_a_backfill_adds_to_the_incremental_checks():
    """An incremental run completing an unfinished backfill (killed, or its walk had holes) still does its
    own work: the recrawl window, gone rechecks, newer sitemap/feed dates; on top, what the backfill had not
    refetched yet."""
    resume_since = datetime(2026, 11, 24, 10, tzinfo=HANOI)
    p = plan(replace(COMPLETE, resume=Resume(since=resume_since, mode="backfill")),
             Options(now=resume_since, recrawl_days=3))
    assert p.completing_backfill and not p.backfill
    by_backfill, before_it = "2026-11-24T11:00:00+07:00", "2026-11-01T08:00:00+07:00"
    old, recent = "2026-01-01T08:00:00+07:00", "2026-11-23T08:00:00+07:00"
    url = f"{B}/a-100.html"
    assert wanted(p, 100, row(published=recent, fetched=by_backfill), url=url)  # in the window: rechecked
    assert wanted(p, 100, row(published=old, fetched=by_backfill, gone=by_backfill), url=url, source="listing")
    assert wanted(p, 100, row(published=old, fetched=by_backfill), signal=datetime(2026, 11, 25, tzinfo=HANOI))
    assert not wanted(p, 100, row(published=old, fetched=by_backfill), url=url)  # the backfill stored it: done
    assert wanted(p, 100, row(published=old, fetched=before_it), url=url)  # the backfill had not got to it yet


def test_a_backfill_fetches_everything_back_to_its_since():
    p = plan(COMPLETE, Options(mode="backfill", now=NOW, since=at("2026-11-20T00:00:00+07:00")))
    assert wanted(p, 100, row(published="2026-11-21T08:00:00+07:00"))  # archived: refetched
    assert not wanted(p, 100, row(published="2026-11-19T08:00:00+07:00"))  # before --since
    # what the site dates before --since is not even requested (listing date, sitemap lastmod, feed date)
    assert not wanted(p, 100, None, signal=at("2026-11-19T08:00:00+07:00"), source="sitemap")
    assert wanted(p, 100, None, signal=at("2026-11-21T08:00:00+07:00"), source="listing")
    # under --since, links between articles are not followed (they lead back past the date)
    assert not policy.follows_links(p)
    full = plan(COMPLETE, Options(mode="backfill", now=NOW))
    assert policy.follows_links(full) and policy.follow_link(full, 100, row()) and policy.follow_link(full, 100, None)
    assert not policy.follows_links(replace(full, follow_related=False))
    inc = plan(COMPLETE, Options(now=NOW))
    assert policy.follow_link(inc, 100, None) and not policy.follow_link(inc, 100, row(published="2026-11-24T08:00:00+07:00"))


def test_a_resume_adds_the_links_the_interrupted_run_would_have_followed():
    p = plan(replace(COMPLETE, resume=Resume(since=NOW - DAY, mode="backfill")), Options(now=NOW))
    dangling = [f"{B}/a-100.html", f"{B}/b-101.html", f"{B}/thoi-su", f"{B}/c-102.html"]
    assert policy.resume_additions(p, dangling, archived={101}) == [(100, f"{B}/a-100.html"), (102, f"{B}/c-102.html")]
    assert policy.resume_additions(plan(COMPLETE, Options(now=NOW)), dangling, archived=set()) == []


# -- listings, sitemaps, feeds -------------------------------------------------------------------------------------
def test_paging_stops_where_the_archive_already_is():
    p = plan(COMPLETE, Options(now=NOW))
    old = {1: row(1), 2: row(2)}
    assert not keep_paging(p, [1, 2], old, {})  # only archived articles older than the window
    assert keep_paging(p, [1, 2, 3], old, {})  # one new
    assert keep_paging(p, [1, 2], {**old, 2: row(2, published="2026-11-24T08:00:00+07:00")}, {})  # one in the window
    assert not keep_paging(p, [], {}, {})  # the listing's end
    assert keep_paging(replace(p, full_walk=True), [1, 2], old, {})  # a full walk goes to the end


def test_paging_stops_before_since():
    p = plan(COMPLETE, Options(mode="backfill", now=NOW, since=at("2026-11-20T00:00:00+07:00")))
    before = {7: at("2026-11-19T00:00:00+07:00"), 8: at("2026-11-18T00:00:00+07:00")}
    assert not keep_paging(p, [7, 8], {}, before)  # every date shown before --since
    assert not keep_paging(p, [7, 8, 9], {}, before)  # (an undated one does not keep it going)
    assert keep_paging(p, [7, 8], {}, {**before, 8: at("2026-11-21T00:00:00+07:00")})
    # archived publication dates count before the dates shown
    assert not keep_paging(p, [7, 9], {9: row(9, published="2026-11-02T08:00:00+07:00")}, before)
    # under an archive's lower bound: a page of undated ids below the floor ends the walk
    floor = plan(replace(COMPLETE, lower_bound=at("2026-11-20T00:00:00+07:00")), Options(now=NOW)).with_floor(500)
    assert not keep_paging(replace(floor, full_walk=True), [100, 200], {}, {})
    assert keep_paging(replace(floor, full_walk=True), [100, 600], {}, {})


def test_feeds_and_child_sitemaps_an_incremental_run_reads():
    p = plan(COMPLETE, Options(now=NOW))
    assert policy.reads_feeds(p, "/", f"{B}/") and not policy.reads_feeds(p, "/thoi-su", f"{B}/thoi-su")
    assert not policy.reads_feeds(p, "/", f"{B}/?page=2")
    assert policy.reads_feeds(replace(p, full_walk=True), "/thoi-su", f"{B}/thoi-su&s_cond=&BRSR=16")
    last = COMPLETE.last_complete_start
    assert policy.skip_child_sitemap(p, at("2024-01-01T00:00:00+07:00"), last)
    assert not policy.skip_child_sitemap(p, NOW, last) and not policy.skip_child_sitemap(p, None, last)
    assert not policy.skip_child_sitemap(replace(p, full_walk=True), at("2024-01-01T00:00:00+07:00"), last)
