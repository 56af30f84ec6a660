"""What `ldtd crawl` (and `ldtd demo`) refuse before anything runs, in one line and with nothing written:
a --db that cannot be the archive (exit 5), and setting values a crawl would only trip over once started
(a traceback, and an "interrupted" run that the next one resumes from): click's usage error, exit 2."""

from __future__ import annotations

import math
from datetime import date

import click

from scraper.storage.usable import UnusableArchive, check_writable_archive

EXIT_UNUSABLE_ARCHIVE = 5
# a century of days: any more is a typo (and, past ~700,000, a date Python cannot express)
MAX_DAYS = 36_500


class UnusableArchiveError(click.ClickException):
    """The archive file is not one a crawl can write: not SQLite, damaged, another program's, read-only."""

    exit_code = EXIT_UNUSABLE_ARCHIVE


def check_archive_file(db) -> None:
    try:
        check_writable_archive(db)
    except UnusableArchive as exc:
        raise UnusableArchiveError(str(exc)) from None


# The project's settings a crawl reads as numbers, flags or words (scraper/settings.py), with the values
# that make sense; read with Scrapy's own conversions, as the crawl reads them.
RULES = {
    "LDTD_MODE": ("word", ("incremental", "backfill")),
    "LDTD_RECRAWL_DAYS": ("float", 0, MAX_DAYS),
    "LDTD_FULL_WALK_DAYS": ("float", 0, MAX_DAYS),
    "LDTD_FAIL_RATIO": ("float", 0, 1),
    "LDTD_RETRY_AFTER_MAX": ("float", 0, 86_400),
    "LDTD_BATCH_SIZE": ("int", 1, 100_000),
    "LDTD_WALK_GIVE_UP": ("int", 1, 1_000),
    "LDTD_FOLLOW_RELATED": ("bool",),
    "LDTD_PARSE_PROCESS": ("bool",),
    "LDTD_WRITER_THREAD": ("bool",),
    "LDTD_IMAGES": ("bool",),
    "LDTD_IMAGE_MAXSIZE": ("int", 1, 2**31 - 1),
    "LDTD_STORE_PROCESS": ("word or bool", ("auto", "")),
    "LDTD_SINCE": ("date",),
}


def _read(kind: str, name: str, value):
    from scrapy.settings import BaseSettings

    settings = BaseSettings({name: value})
    return {"float": settings.getfloat, "int": settings.getint, "bool": settings.getbool}[kind](name)


def setting_error(name: str, value, default=None) -> str | None:
    """Why `-s name=value` would break the crawl, or None. Settings without a rule are checked against
    the type of their default (a number, a flag) when one is given."""
    rule = RULES.get(name)
    text = str(value).strip()
    if rule is None:
        if isinstance(default, bool):
            rule = ("bool",)
        elif isinstance(default, (int, float)):
            rule = ("float", -math.inf, math.inf)
        else:
            return None
    kind = rule[0]
    if kind == "word":
        return None if text.lower() in rule[1] else f"expected one of {', '.join(rule[1])}, not {text!r}"
    if kind == "date":
        try:
            date.fromisoformat(text)
        except ValueError:
            return f"expected a date YYYY-MM-DD, not {text!r}"
        return None
    if kind == "word or bool" and text.lower() in rule[1]:
        return None
    kind = "bool" if kind == "word or bool" else kind
    try:
        number = _read(kind, name, value)
    except (TypeError, ValueError):
        wanted = {"float": "a number", "int": "a whole number", "bool": "true or false (1 or 0)"}[kind]
        if rule[0] == "word or bool":
            wanted = f"{rule[1][0]}, {wanted}"
        return f"expected {wanted}, not {text!r}"
    if kind in ("float", "int"):
        low, high = rule[1], rule[2]
        if not (low <= number <= high):  # (NaN fails this too)
            return f"expected {'a number' if kind == 'float' else 'a whole number'} from {low:g} to {high:g}, not {text!r}"
    return None


def check_setting_values(extra: dict) -> None:
    """Refuse (click.BadParameter, exit 2) any -s value the crawl could not use."""
    from scraper.crawl.run import project_settings

    defaults = project_settings()
    for name, value in extra.items():
        error = setting_error(name, value, defaults.get(name))
        if error:
            raise click.BadParameter(error, param_hint=f"-s {name}")


def recrawl_days(ctx, param, value):
    """--recrawl-days: a number of days from 0 to MAX_DAYS."""
    if value is None:
        return None
    error = setting_error("LDTD_RECRAWL_DAYS", value)
    if error:
        raise click.BadParameter(error)
    return float(value)
