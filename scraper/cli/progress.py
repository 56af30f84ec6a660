"""How `ldtd` commands report while they work: one live line on a terminal's standard error (rewritten
with \\r, never in the data on standard output), and what a command prints when it is done: the summary
line, or (--json) the summary as JSON. `output_mode` decides, from the options and the terminal, what
goes where."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import click

from .output import printable


@dataclass(frozen=True)
class OutputMode:
    progress: bool  # the live line on standard error
    log_to_screen: bool  # the crawl's log on standard error (else in its log file only)


def output_mode(tty: bool, verbose: bool = False, quiet: bool = False, as_json: bool = False) -> OutputMode:
    """-v: the log on the screen, no live line; --quiet and --json: neither (only the summary); on a
    terminal: the live line, the log in its file; elsewhere (cron): the log on standard error, as
    `scrapy crawl` writes it, and the summary line."""
    if verbose:
        return OutputMode(progress=False, log_to_screen=True)
    if quiet or as_json:
        return OutputMode(progress=False, log_to_screen=False)
    return OutputMode(progress=tty, log_to_screen=not tty)


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


class StatusLine:
    """One line on a terminal's standard error, rewritten in place (at most every `every` seconds unless
    forced); `done` ends it with a newline, so what follows starts on a line of its own."""

    def __init__(self, stream=None, every: float = 0.0):
        self.stream = stream or sys.stderr
        self.every = every
        self.last = 0.0
        self.shown = False

    def show(self, text: str, force: bool = False) -> None:
        now = time.monotonic()
        if not force and self.shown and now - self.last < self.every:
            return
        width = self.width()
        self.stream.write("\r" + printable(text)[: max(10, width - 1)] + "\x1b[K")
        self.stream.flush()
        self.last, self.shown = now, True

    def width(self) -> int:
        """The terminal's width (of the stream's own terminal: standard output may be a pipe)."""
        try:
            return os.get_terminal_size(self.stream.fileno()).columns or 100
        except (AttributeError, ValueError, OSError):
            return 100

    def done(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False


verbose_option = click.option("-v", "--verbose", is_flag=True, help="Show the full log on the screen (no live line).")
quiet_option = click.option("--quiet", is_flag=True, help="Print only the summary line.")
json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print the summary as JSON (keys in the README's \"Summaries for scripts\").")


def check_exclusive(verbose: bool, quiet: bool, as_json: bool) -> None:
    chosen = [name for name, on in (("-v", verbose), ("--quiet", quiet), ("--json", as_json)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} cannot be used together")
