"""The project's Scrapy settings: polite, and no listening ports."""

from scraper.crawl.run import project_settings


def test_settings_polite_and_no_listening_ports():
    s = project_settings()
    assert s.getbool("REMOTE_CONTROL_ENABLED") is False
    assert s.getbool("TELNETCONSOLE_ENABLED") is False
    assert s.getbool("ROBOTSTXT_OBEY") is True
    assert s.getbool("AUTOTHROTTLE_ENABLED") is True
    assert s.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert "+http" in s.get("USER_AGENT")
    assert s.getbool("HTTPCACHE_ENABLED") is False
