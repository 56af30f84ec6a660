"""The `ldtd` command. Each concern registers its commands from its own module."""

from __future__ import annotations

import click

from . import crawl, parse, query


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ldtd-archive")
def main() -> None:
    """Archive of Lao Động Thủ Đô (laodongthudo.vn): crawl, search, browse.

    \b
    Example:
      ldtd crawl --db archive.db
      ldtd search "dao tao can bo"
    """


for module in (parse, crawl, query):
    for command in module.COMMANDS:
        main.add_command(command)
