"""Who may import whom (DESIGN.md), enforced by parsing every module with `ast`.

- db: the standard library, sqlite_utils, app.model and db only.
- pure app modules (all of app but store* and *commands): no PySide6/shiboken6, pyqtgraph, widgets,
  main, nor app.store/app.commands (Qt through the back door); db from the CLI modules only
  (app.cli, app.cli_*). One named exception: app.article_pdf may use PySide6.QtPdf (Qt's PDF
  reader; see QT_FOR_PDF).
- app.store, app.commands (and app.store_*, app.*_commands): Qt only from PySide6.QtCore and
  PySide6.QtGui; no pyqtgraph, widgets or
  main; the database only through db.repository.
- widgets: never db, sqlite3 or sqlite_utils.
- main.py: anything.

And SQL lives in db/ only: no `.execute(` / `.executemany(` / `.executescript(` call elsewhere.
Files are discovered when the test runs, so modules added later are checked too.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("app", "db", "widgets")
QT_IN_STORE = ("PySide6.QtCore", "PySide6.QtGui")
# The one exception among pure app modules: issue 6 asks for PDFs read by Qt's own PDF module, which
# needs QtPdf (no widgets, nothing shown); it is imported lazily, for PDFs only.
QT_FOR_PDF = {"app.article_pdf": ("PySide6.QtPdf",)}
EXECUTE_CALLS = {"execute", "executemany", "executescript"}


def under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def module_name(rel: Path) -> str:
    parts = list(rel.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_files() -> list[Path]:
    files = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    if (ROOT / "main.py").exists():
        files.append(ROOT / "main.py")
    return [p.relative_to(ROOT) for p in files]


def imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[int, str]]:
    """(line, dotted name) of everything imported; `from a import b` gives `a.b`."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".")
                if not is_package:
                    package.pop()
                package = package[: len(package) - (node.level - 1)]
                base = ".".join(filter(None, [*package, base]))
            for alias in node.names:
                found.append((node.lineno, base if alias.name == "*" else f"{base}.{alias.name}"))
    return found


def rule_breaker(module: str, name: str) -> str | None:
    """Why `module` may not import `name`, or None if it may."""
    top = name.split(".")[0]
    if module == "main":
        return None
    if under(module, "db"):
        if top in sys.stdlib_module_names or under(name, "sqlite_utils", "app.model", "db"):
            return None
        return "db/ imports only the standard library, sqlite_utils, app.model and db"
    if under(module, "widgets"):
        if under(name, "db", "sqlite3", "sqlite_utils"):
            return "widgets/ never touch the database (no db, sqlite3, sqlite_utils)"
        if under(name, "main"):
            return "nothing imports the composition root"
        return None
    if (
        module in ("app.store", "app.commands")
        or module.startswith("app.store_")
        or (module.startswith("app.") and module.endswith("_commands"))
    ):  # the Store's mixins (app.store_entities) and further command modules
        if under(name, "PySide6", "shiboken6") and not under(name, *QT_IN_STORE):
            return "app.store/app.commands use only PySide6.QtCore and PySide6.QtGui"
        if under(name, "pyqtgraph", "widgets", "main"):
            return "app.store/app.commands import no views"
        if under(name, "db") and not under(name, "db.repository"):
            return "app.store/app.commands reach the database through db.repository only"
        return None
    if under(module, "app"):
        if module in QT_FOR_PDF and under(name, *QT_FOR_PDF[module]):
            return None
        if under(name, "PySide6", "shiboken6", "pyqtgraph", "widgets", "main"):
            return "pure app modules import no Qt, pyqtgraph or widgets"
        if under(name, "app.store", "app.commands"):
            return "pure app modules import no Qt, not even through app.store/app.commands"
        if under(name, "db") and module != "app.cli" and not module.startswith("app.cli_"):
            return "of the pure app modules only app.cli imports db"
        return None
    return f"{module} is in no package of the import table"


def violations(rel: Path, source: str) -> list[str]:
    module = module_name(rel)
    tree = ast.parse(source, filename=str(rel))
    found = []
    for line, name in imports(tree, module, rel.name == "__init__.py"):
        why = rule_breaker(module, name)
        if why:
            found.append(f"{rel}:{line}: imports {name} — {why}")
    if not under(module, "db"):
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in EXECUTE_CALLS
            ):
                found.append(
                    f"{rel}:{node.lineno}: calls .{node.func.attr}() — SQL belongs in db/ "
                    "(add a repository function)"
                )
    return found


def test_the_import_table_holds_for_every_module() -> None:
    files = project_files()
    problems = [v for rel in files for v in violations(rel, (ROOT / rel).read_text("utf-8"))]
    assert not problems, "Layering broken:\n" + "\n".join(problems)


def test_files_are_discovered() -> None:
    names = {module_name(rel) for rel in project_files()}
    assert {"app.model", "app.offsets", "app.store", "app.commands", "db.repository"} <= names
    assert {"db.connection", "db.migrations", "widgets"} <= names


def check(path: str, source: str) -> list[str]:
    return violations(Path(path), source)


def test_the_checker_catches_each_kind_of_breach() -> None:
    assert check("widgets/x.py", "import sqlite3\nfrom db import repository\n") == [
        "widgets/x.py:1: imports sqlite3 — widgets/ never touch the database "
        "(no db, sqlite3, sqlite_utils)",
        "widgets/x.py:2: imports db.repository — widgets/ never touch the database "
        "(no db, sqlite3, sqlite_utils)",
    ]
    assert len(check("widgets/x.py", "from sqlite_utils.db import Database\n")) == 1
    assert len(check("app/formats/x.py", "from PySide6.QtCore import QObject\n")) == 1
    assert len(check("app/formats/x.py", "import pyqtgraph as pg\n")) == 1
    assert len(check("app/articles.py", "from PySide6.QtPdf import QPdfDocument\n")) == 1
    assert check("app/article_pdf.py", "from PySide6.QtPdf import QPdfDocument\n") == []
    assert len(check("app/article_pdf.py", "from PySide6.QtWidgets import QWidget\n")) == 1
    assert len(check("app/article_pdf.py", "from PySide6.QtGui import QImage\n")) == 1
    assert len(check("app/article_pdf.py", "from PySide6.QtCore import QObject\n")) == 1
    assert len(check("app/formats/x.py", "from ..store import Store\n")) == 1  # relative
    assert len(check("app/formats/x.py", "from db import repository\n")) == 1
    assert check("app/cli.py", "from db import repository\nfrom app.formats import x\n") == []
    assert len(check("app/store.py", "from PySide6.QtWidgets import QWidget\n")) == 1
    assert len(check("app/store.py", "from PySide6 import QtWidgets\n")) == 1
    assert len(check("app/commands.py", "from widgets.article_view import ArticleView\n")) == 1
    assert len(check("app/store.py", "from db.connection import open_db\n")) == 1
    store_ok = "from PySide6 import QtCore\nfrom PySide6.QtGui import QUndoCommand\n"
    assert (
        check("app/store.py", store_ok + "from db import repository\nimport sqlite_utils\n") == []
    )
    assert len(check("db/x.py", "from app.offsets import snap_span\n")) == 1
    assert len(check("db/x.py", "import appdirs\n")) == 1
    assert len(check("db/x.py", "from PySide6.QtCore import Signal\n")) == 1
    assert (
        check("db/x.py", "import sqlite3, json\nfrom app.model import Grade\nfrom . import m\n")
        == []
    )
    assert len(check("app/x.py", "def f(db):\n    db.conn.execute('DELETE FROM t')\n")) == 1
    assert len(check("widgets/x.py", "def f(c):\n    c.executemany('x', [])\n")) == 1
    assert check("db/x.py", "def f(db):\n    db.execute('SELECT 1')\n") == []
    assert check("main.py", "import sqlite3\nfrom db.connection import open_db\n") == []
