"""The parser's documented errors: the only exceptions parse_article raises."""


class ParseError(Exception):
    """The page could not be turned into an article record."""


class NotAnArticle(ParseError):
    """The page is not an article (a listing, a tag page, a soft 404, not HTML)."""


class TruncatedPage(ParseError):
    """The page was cut off before the article's body ended."""
