"""ldtd commands: parse (placeholder until its issue lands)."""

COMMANDS: list = []
