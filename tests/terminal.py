"""A pseudo-terminal for tests of what a command shows on a real terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import termios


def open_terminal(columns: int = 80, rows: int = 24) -> tuple[int, int]:
    """(master, slave) of a new pty `columns` wide; give the slave to the child, then close it here."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return master, slave


def drain(master: int) -> bytes:
    """Everything the child wrote to the terminal, until it closed it (EIO or end of file); closes master."""
    out = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return bytes(out)


def run_in_pty(cmd, cwd, timeout=240, columns=200) -> tuple[int, str]:
    """Run `cmd` with a pseudo-terminal (`columns` wide) as its standard output and error: (exit code,
    all it wrote)."""
    master, slave = open_terminal(columns)
    proc = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    out = drain(master)
    return proc.wait(timeout), out.decode("utf-8", "replace")
