"""Issue 13's before/after: `bench.datasette_pages` on the synthetic archive with an earlier checkout's
code (the archive as built, its schema) and with this checkout's (a copy upgraded by its migrations,
their cost timed), one after the other in one run, printed side by side.

    python -m bench.schema_before_after --baseline /tmp/before --articles 200000
    python -m bench.schema_before_after --baseline /tmp/before --articles 20000 --run-days 30 --cold-pages 4

--baseline is a checkout of the earlier code (`git worktree add --detach /tmp/before COMMIT`); it runs with
this virtualenv, its own tree first on the path. The upgraded copy is kept beside the archive
(bench/out/*-upgraded.db) and rebuilt when the archive or the migrations changed (--fresh: always).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import synth

ROOT = Path(__file__).resolve().parent.parent
ROW = re.compile(r"^(?P<name>.+?)\s{2,}(?P<warm>[\d.]+|-)\s+(?P<cold>[\d.]+|-)\s{2}(?P<flags>.*)$")
COMMAND = re.compile(r"^(ldtd [^:]+): (.*)$")
UPGRADE = """
import os, sys, time
from sqlite_utils import Database
from scraper.storage.archive import Archive
from scraper.storage.schema import migrate, migrations
path = sys.argv[1]
size = lambda: sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
db = Database(path)
pending = [m.name for m in migrations.pending(db)]
db.close()
for i, name in enumerate(pending):
    before, t0 = size(), time.perf_counter()
    archive = Archive.open(path, migrate=False)
    migrate(archive.db, stop_before=pending[i + 1] if i + 1 < len(pending) else None)
    secs = time.perf_counter() - t0
    archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    archive.close()
    print(f"  {name}: {secs:.1f} s, +{(size() - before) / 1e6:,.0f} MB")
"""

def run_pages(tree: Path, db: Path, extra: list[str]) -> tuple[dict[str, tuple[str, str, str]], list[str], str]:
    """(page name -> (warm, cold, flags), command lines, the whole output) of bench.datasette_pages run
    from `tree` on `db`."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-m", "bench.datasette_pages", "--db", str(db), *extra], cwd=tree, env=env,
                         capture_output=True, text=True)
    pages, commands, table = {}, [], False
    for line in out.stdout.splitlines():
        if line.startswith("page "):
            table = True
            continue
        m = COMMAND.match(line)
        if m:
            commands.append(line)
            continue
        if table and (m := ROW.match(line)):
            pages[m["name"].strip()] = (m["warm"], m["cold"], m["flags"].strip())
    if out.returncode:
        sys.stderr.write(out.stderr[-3000:])
    return pages, commands, out.stdout


def upgraded_copy(path: Path, fresh: bool) -> tuple[Path, str]:
    """A copy of the archive upgraded by this checkout's migrations, and what the upgrade cost."""
    copy = path.with_name(path.stem + "-upgraded.db")  # (a dot in the name would break Datasette's routes)
    stamp = path.with_name(path.stem + "-upgraded.cost")
    migrations = ROOT / "scraper" / "storage" / "migrations.py"
    if (not fresh and copy.exists() and stamp.exists() and copy.stat().st_mtime > path.stat().st_mtime
            and stamp.stat().st_mtime > migrations.stat().st_mtime):
        return copy, stamp.read_text()
    for suffix in ("", "-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    shutil.copyfile(path, copy)
    before = copy.stat().st_size
    with open("/proc/sys/vm/drop_caches", "w") if os.geteuid() == 0 else open(os.devnull, "w") as caches:
        os.sync()
        caches.write("3\n")
    t0 = time.perf_counter()
    steps = subprocess.run([sys.executable, "-c", UPGRADE, str(copy)], cwd=ROOT, check=True, capture_output=True,
                           text=True).stdout.rstrip()
    cost = (f"upgrade of a copy by this checkout's migrations, one transaction each, from a cold page cache:"
            f" {time.perf_counter() - t0:.1f} s, {before / 1e6:,.0f} MB -> {copy.stat().st_size / 1e6:,.0f} MB\n"
            + steps)
    stamp.write_text(cost)
    return copy, cost


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", type=Path, required=True, help="a checkout of the earlier code")
    ap.add_argument("--articles", type=int, default=200_000)
    ap.add_argument("--run-days", type=int, default=365)
    ap.add_argument("--cold-pages", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-cold", action="store_true")
    ap.add_argument("--db", type=Path, help="this archive (of the earlier schema) instead of synth's")
    ap.add_argument("--fresh", action="store_true", help="upgrade a new copy even if one is cached")
    a = ap.parse_args(argv)
    path = a.db or synth.ensure_archive(a.articles, a.run_days)[0]
    copy, cost = upgraded_copy(path, a.fresh)
    print(cost, flush=True)
    extra = ["--repeat", str(a.repeat), "--cold-pages", str(a.cold_pages)] + (["--no-cold"] if a.no_cold else [])
    before, before_cmds, _ = run_pages(a.baseline.resolve(), path, extra)
    after, after_cmds, _ = run_pages(ROOT, copy, extra)
    names = list(dict.fromkeys([*before, *after]))
    width = max(len(n) for n in names)
    print(f"\n{'page':<{width}}  {'before warm':>11} {'cold':>6}  {'after warm':>10} {'cold':>6}  after's flags"
          f"  (before's flags)")
    for name in names:
        bw, bc, bf = before.get(name, ("", "", ""))
        aw, ac, af = after.get(name, ("", "", ""))
        print(f"{name:<{width}}  {bw:>11} {bc:>6}  {aw:>10} {ac:>6}  {af}" + (f"  ({bf})" if bf else ""))
    flagged = lambda pages: sum(1 for p in pages.values() if p[2])
    print(f"flagged: before {flagged(before)} of {len(before)}, after {flagged(after)} of {len(after)}")
    for label, lines in (("before", before_cmds), ("after", after_cmds)):
        for line in lines:
            print(f"{label}: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
