"""The code's seams, checked on its syntax trees (a string grep is easy to dodge and trips on comments):
storage is the one door to the archive, migrations are frozen, the CLI borrows nothing from Datasette."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = sorted([*ROOT.glob("scraper/**/*.py"), *ROOT.glob("spiders/**/*.py")])
STORAGE = ROOT / "scraper" / "storage"
DB_MODULES = {"sqlite3", "sqlite_utils"}
DB_CALLS = {"execute", "executemany", "executescript", "query", "rows_where"}
# SQL statements as they appear in string literals and f-strings
SQL_TEXT = re.compile(
    r"\b(select\b[\s\S]+\bfrom\b|insert\s+(or\s+\w+\s+)?into\b|update\s+\S+\s+set\b|delete\s+from\b"
    r"|create\s+(table|view|index|trigger|virtual)\b|drop\s+(table|view|index|trigger)\b|pragma\s+\w+)", re.I)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _imports(tree: ast.AST):
    """(module imported, line) for every import, relative ones as ".name"."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            yield base, node.lineno
            if node.module is None or node.level:
                for alias in node.names:
                    yield f"{base}.{alias.name}" if node.module else base + alias.name, node.lineno


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _strings(tree: ast.AST):
    """(text, line) of every string literal that is not a docstring, f-strings with their holes as "?"."""
    docstrings = _docstrings(tree)
    parts_of_fstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value if isinstance(v, ast.Constant) else "?" for v in node.values)
            parts_of_fstrings.update(id(v) for v in node.values)
            yield text, node.lineno
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                and id(node) not in parts_of_fstrings):
            yield node.value, node.lineno


def storage_access(path: Path) -> list[str]:
    """What in the module reaches the database itself: driver imports, query calls, SQL text."""
    tree = _tree(path)
    found = [f"line {line}: imports {module}" for module, line in _imports(tree)
             if module.split(".")[0] in DB_MODULES]
    found += [f"line {node.lineno}: calls .{node.func.attr}()" for node in ast.walk(tree)
              if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DB_CALLS]
    # (the replica site's pages quote SQL as page text: a PHP debug bar; nothing runs it)
    if "replica" not in path.parts:
        found += [f"line {line}: SQL text {text[:50]!r}" for text, line in _strings(tree) if SQL_TEXT.search(text)]
    return found


OUTSIDE_STORAGE = [p for p in PRODUCT if STORAGE not in p.parents]


@pytest.mark.parametrize("path", OUTSIDE_STORAGE, ids=_name)
def test_only_storage_reaches_the_database(path):
    """Outside scraper/storage/ no module imports sqlite3 or sqlite_utils, calls .execute/.query/.rows_where,
    or holds SQL text: every read and write is a storage function."""
    assert storage_access(path) == []


def test_the_checks_see_what_they_look_for(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('"""select x from docstrings is prose."""\nimport sqlite3\nfrom sqlite_utils import Database\n'
                     'def f(db, t):\n    db.execute(f"SELECT count(*) FROM {t}")\n    return db.query("x")\n'
                     'Q = "update articles set gone_at = null"\n')
    found = storage_access(probe)
    assert [f.split(":")[0] for f in found] == ["line 2", "line 3", "line 5", "line 6", "line 5", "line 7"], found


CLI = sorted((ROOT / "scraper" / "cli").glob("*.py"))


@pytest.mark.parametrize("path", CLI, ids=_name)
def test_cli_borrows_nothing_from_datasette(path):
    """The CLI's commands read through storage; only `ldtd serve` loads Datasette's configuration, which is
    what it serves with."""
    allowed = {"scraper.datasette", "scraper.datasette.config"} if path.name == "serve.py" else set()
    borrowed = [f"line {line}: {m}" for m, line in _imports(_tree(path))
                if m.startswith("scraper.datasette") and m not in allowed]
    assert borrowed == []


def test_migrations_are_frozen():
    """A migration never imports live code: only the standard library and sqlite-utils."""
    path = STORAGE / "migrations.py"
    imported = {m for m, _ in _imports(_tree(path))}
    live = {m for m in imported if m.startswith(".") or m.split(".")[0] not in sys.stdlib_module_names | {"sqlite_utils"}}
    assert live == set(), live
    # and schema.py, which runs them, holds none of its own
    assert "@migrations(" not in (STORAGE / "schema.py").read_text(encoding="utf-8")


def test_default_archive_path_is_spelled_once():
    """"archive.db" (the default --db / LDTD_DB) is written in one place; everything else reads it from there."""
    places = [f"{_name(p)}:{line}" for p in PRODUCT for text, line in _strings(_tree(p)) if text == "archive.db"]
    assert len(places) == 1 and places[0].startswith("scraper/settings.py:"), places


# -- the import graph ---------------------------------------------------------------------------------
# Parsing is the issue on unseen pages' package: its own cycles are checked there, not here.
PARSING = "scraper.parsing"
MODULES = {".".join(p.relative_to(ROOT).with_suffix("").parts[:-1] if p.name == "__init__.py"
                    else p.relative_to(ROOT).with_suffix("").parts): p for p in PRODUCT}
# Function-local imports of product modules that are there for a reason other than a cycle, with it.
LOCAL_IMPORTS_ALLOWED = {
    # `ldtd` starts without Scrapy (~0.3 s): only the commands that crawl load the crawler
    ("scraper.cli.crawl", "scraper.crawl.run"): "ldtd starts without loading Scrapy",
    ("scraper.cli.checks", "scraper.crawl.run"): "ldtd starts without loading Scrapy",
    ("scraper.cli.reparse", "scraper.crawl.run"): "ldtd starts without loading Scrapy",
    ("scraper.cli.serve", "scraper.crawl.run"): "ldtd starts without loading Scrapy",
    ("scraper.cli.crawl", "scraper.replica.server"): "only `ldtd demo` serves the replica",
    # `ldtd` starts without the parser and BeautifulSoup (~0.2 s): only the commands that parse load it
    ("scraper.cli.parse", "scraper.parsing.article"): "ldtd starts without loading the parser",
    ("scraper.cli.reparse", "scraper.parsing.article"): "ldtd starts without loading the parser",
    # only `ldtd serve` loads Datasette's configuration
    ("scraper.cli.serve", "scraper.datasette"): "only `ldtd serve` loads Datasette",
    ("scraper.cli.serve", "scraper.datasette.config"): "only `ldtd serve` loads Datasette",
}


def _resolve(module: str, node: ast.ImportFrom | ast.Import, modules: dict[str, Path]) -> list[str]:
    """The product modules an import statement loads (a name imported from a package is its submodule
    when there is one), without the importer's own ancestors (importing a submodule loads its package
    first: that is no cycle)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            parts = module.split(".")
            if modules[module].name != "__init__.py":
                parts = parts[:-1]
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join(parts + ([node.module] if node.module else []))
        else:
            base = node.module or ""
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
    found = []
    for name in names:
        while name and name not in modules:  # `import a.b.c` of a name in a module: its module
            name = name.rpartition(".")[0]
        if name and name != module and not module.startswith(name + "."):
            found.append(name)
    return found


def import_graph(modules: dict[str, Path] = MODULES):
    """({module: modules it imports at load time}, [(module, module it imports in a function, line)])."""
    graph, local = {m: set() for m in modules}, []
    for module, path in modules.items():
        tree = _tree(path)
        top_level = set()
        for node in tree.body:  # module level, `if TYPE_CHECKING:`/try blocks included
            top_level.update(id(n) for n in ast.walk(node) if not isinstance(node, (ast.FunctionDef,
                                                                                   ast.AsyncFunctionDef,
                                                                                   ast.ClassDef)))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for target in _resolve(module, node, modules):
                    if id(node) in top_level:
                        graph[module].add(target)
                    else:
                        local.append((module, target, node.lineno))
    return graph, local


def cycles(graph: dict[str, set[str]], nodes) -> list[list[str]]:
    """The strongly connected components of more than one module among ``nodes`` (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in nodes:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return found


def _outside_parsing(module: str) -> bool:
    return module != PARSING and not module.startswith(PARSING + ".")


def test_no_import_cycle_outside_parsing():
    """Among the product's modules (parsing aside), imports go one way: counted with the imports made
    inside functions too, so that a local import cannot hide a cycle."""
    graph, local = import_graph()
    for module, target, _line in local:
        graph[module].add(target)
    assert cycles(graph, {m for m in MODULES if _outside_parsing(m)}) == []


def test_no_function_local_import_of_product_code():
    """A product module imports product modules at the top, where a reader sees its dependencies; the few
    local imports that exist for another reason than a cycle say which (LOCAL_IMPORTS_ALLOWED)."""
    _graph, local = import_graph()
    found = [f"{module}:{line} imports {target}" for module, target, line in local
             if _outside_parsing(module) and (module, target) not in LOCAL_IMPORTS_ALLOWED]
    assert found == []


def test_the_import_graph_sees_what_it_looks_for(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .a import f\n")
    (pkg / "a.py").write_text("from . import b\n\ndef f():\n    from pkg.c import g\n    return g\n")
    (pkg / "b.py").write_text("import pkg.a\nfrom pkg import c\n")
    (pkg / "c.py").write_text("from . import b\nfrom .a import f as g\n")
    modules = {"pkg": pkg / "__init__.py", **{f"pkg.{n}": pkg / f"{n}.py" for n in "abc"}}
    graph, local = import_graph(modules)
    assert graph == {"pkg": {"pkg.a"}, "pkg.a": {"pkg.b"}, "pkg.b": {"pkg.a", "pkg.c"}, "pkg.c": {"pkg.a", "pkg.b"}}
    assert local == [("pkg.a", "pkg.c", 4)]
    assert cycles(graph, set(modules)) == [["pkg.a", "pkg.b", "pkg.c"]]


# -- settings ---------------------------------------------------------------------------------------------
SETTING_GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getwithbase"}


def settings_defaults(path: Path) -> list[str]:
    """Where a module gives an LDTD_* setting a default of its own: `settings.getfloat("LDTD_X", 3)`, or
    `settings.get("LDTD_X") or "incremental"` (an empty string or None to normalise a missing value is
    no default)."""
    found = []

    def setting_read(node) -> str | None:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in SETTING_GETTERS
                and node.args and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).startswith("LDTD_")):
            return node.args[0].value
        return None

    for node in ast.walk(_tree(path)):
        name = setting_read(node)
        if name and (len(node.args) > 1 or node.keywords):
            found.append(f"line {node.lineno}: {name} read with a default")
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and setting_read(node.values[0]):
            fallback = node.values[1]
            if not (isinstance(fallback, ast.Constant) and fallback.value in ("", None)):
                found.append(f"line {node.lineno}: {setting_read(node.values[0])} or a default")
    return found


@pytest.mark.parametrize("path", [p for p in PRODUCT if p.name != "settings.py"], ids=_name)
def test_settings_defaults_are_defined_once(path):
    """Every LDTD_* default is scraper/settings.py's; the code reads the setting, never a second default."""
    assert settings_defaults(path) == []


def test_the_settings_check_sees_what_it_looks_for(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text('def f(s):\n    a = s.getfloat("LDTD_X", 3)\n    b = s.get("LDTD_MODE") or "incremental"\n'
                     '    c = (s.get("LDTD_BASE_URL") or "").rstrip("/")\n    return s.getint("RETRY_TIMES", 2)\n')
    assert [f.split(":")[0] for f in settings_defaults(probe)] == ["line 2", "line 3"]
