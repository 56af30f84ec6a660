"""ldtd commands: query (placeholder until its issue lands)."""

COMMANDS: list = []
