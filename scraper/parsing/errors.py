"""The parser's documented errors: the only exceptions parse_article raises; and the warning of a page
that parses although it never reaches its end tags."""


class ParseError(Exception):
    """The page could not be turned into an article record."""


class NotAnArticle(ParseError):
    """The page is not an article (a listing, a tag page, a soft 404, not HTML)."""


class TruncatedPage(ParseError):
    """The page stops inside the article's text (its body container is still open where the source ends)."""


# In ``extraction.warnings`` of a record whose page has no </body> or </html> but whose article is whole
# (the theme never closes the document, or the transfer stopped after the article): the crawler reads it
# together with how the transfer ended (a connection closed without Content-Length may have cut the page).
OPEN_END_WARNING = "page: no </body> or </html> at its end"
