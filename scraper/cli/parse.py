"""ldtd commands: parse (one saved article page to its JSON record)."""

from __future__ import annotations

import sys

import click

from scraper.parsing.errors import NotAnArticle, ParseError, TruncatedPage
from scraper.parsing.model import RECORD_KEYS

from .output import echo, json_text

# Exit codes: 0 a record printed, 1 the page is not an article, 2 usage/IO (click), 3 the page is cut off,
# 4 any other parse failure.
EXIT_NOT_ARTICLE = 1
EXIT_TRUNCATED = 3
EXIT_PARSE_ERROR = 4


@click.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--url", metavar="URL",
              help="The page's URL (default: the page's canonical link). Gives the record's url and id.")
@click.option("--indent", type=int, default=None, metavar="N", help="Pretty-print the JSON with N spaces.")
def parse(path, url, indent):
    """Parse a saved article page (PATH, or - for stdin) and print its record as one JSON object.

    The object has exactly the record's keys (url, id, title, sapo, body, body_html, author,
    published_at, updated_at, category, category_url, tags, images, related, extraction).
    A page that is not an article exits 1, a page cut off inside its article exits 3, with the reason
    on stderr. A page without </body></html> whose article is whole parses (a warning says so), and so
    does a body-only fragment (an article body as CMS databases store it): its title is null.

    \b
    Example:
      ldtd parse saved/ra-soat-bang-cap-chuyen-mon-184703.html
      ldtd parse page.html --url https://laodongthudo.vn/some-article-184703.html --indent 2
    """
    try:
        if path == "-":
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
    except OSError as exc:
        raise click.FileError(path, hint=exc.strerror or str(exc)) from None
    from scraper.parsing.article import parse_article  # (only the commands that parse load the parser)

    try:
        article = parse_article(data, url or "")
    except TruncatedPage as exc:
        echo(f"ldtd parse: {path}: the page is cut off: {exc}", err=True)
        sys.exit(EXIT_TRUNCATED)
    except NotAnArticle as exc:
        echo(f"ldtd parse: {path}: not an article: {exc}", err=True)
        sys.exit(EXIT_NOT_ARTICLE)
    except ParseError as exc:
        echo(f"ldtd parse: {path}: could not parse: {exc}", err=True)
        sys.exit(EXIT_PARSE_ERROR)
    record = article.to_dict()
    record = {k: record[k] for k in RECORD_KEYS}
    click.echo(json_text(record, indent=indent))


COMMANDS = [parse]
