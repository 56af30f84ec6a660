"""How the `ldtd` commands print what came from crawled pages.

Crawled text can carry what a terminal acts on: an OSC sequence in a headline sets the window title
or hides a hyperlink's target, BEL rings, CSI moves the cursor, a bidi override reorders the rest of
the line. New records are cleaned of these on the way in (`clean_text`), but archives already hold
such text, and URLs or error texts are not cleaned text: every command prints through here.
"""

from __future__ import annotations

import json
import re

import click

# C0 controls except tab and newline, DEL, C1 controls (8-bit CSI/OSC), and the bidi controls
# (ALM, LRM, RLM, embeddings and overrides, isolates)
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(m: re.Match) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text) -> str:
    """`text` (str() of anything) with every control character shown as an escape: `\\x1b`, `\\u202e`."""
    return UNSAFE.sub(_escape, "" if text is None else str(text))


def echo(text="", *, err: bool = False, nl: bool = True, **style) -> None:
    """click.echo of `text` made printable, then styled (bold=..., fg=...): only our own styles reach
    the terminal."""
    text = printable(text)
    click.echo(click.style(text, **style) if style else text, err=err, nl=nl)


def json_text(data, **dumps_options) -> str:
    """JSON with Vietnamese as written and every control character as a \\u escape: the same data for
    any JSON reader, inert on a terminal (json.dumps leaves DEL, C1 and bidi controls raw)."""
    text = json.dumps(data, ensure_ascii=False, **dumps_options)
    # outside strings JSON is ASCII punctuation: every match is inside a string, where \\uXXXX is that character
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class PrintableWriter:
    """A text stream wrapper that makes everything written printable (CSV on a terminal)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(printable(text))


def echo_json(data) -> None:
    """`data` as indented JSON on standard output (see json_text)."""
    click.echo(json_text(data, indent=2))


def highlight(snippet: str, color: bool) -> str:
    """Storage snippets mark matches with [ ]: bold on a terminal, kept as-is elsewhere. Made printable
    first: the only escape sequences are the highlight's."""
    snippet = printable(snippet)
    if not color:
        return snippet
    return re.sub(r"\[([^\[\]]*)\]", lambda m: click.style(m.group(1), bold=True, fg="yellow"), snippet)


def day(value: str | None) -> str:
    """The date part of an ISO time, or a placeholder of the same width."""
    return (value or "")[:10] or "----------"
