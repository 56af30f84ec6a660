"""ldtd commands: crawl (placeholder until its issue lands)."""

COMMANDS: list = []
