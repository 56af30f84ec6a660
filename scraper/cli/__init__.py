"""The `ldtd` command. Each concern registers its commands from its own module."""

from __future__ import annotations

import click

from . import crawl, export, parse, reparse, search, serve, show, stats


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ldtd-archive")
def main() -> None:
    """Archive of Lao Động Thủ Đô (laodongthudo.vn): crawl, search, browse.

    \b
    Example:
      ldtd crawl --db archive.db
      ldtd search "dao tao can bo"
    """


for module in (parse, crawl, search, show, stats, export, reparse, serve):
    for command in module.COMMANDS:
        main.add_command(command)
