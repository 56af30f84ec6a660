"""ldtd-archive: scraper and SQLite archive of Lao Động Thủ Đô (laodongthudo.vn)."""

__version__ = "0.1.0"
