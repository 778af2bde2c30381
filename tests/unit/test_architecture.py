"""The layers of docs/architecture.md, checked on the source: no cycles, no upward imports.

Every import in app/ counts, including those inside functions (a lazy import
still ties two modules together). Layers, top to bottom:

    entry points (__main__, cli, gui, commands) → views → services
      → models, draw, domain, excel, reports → base (app, paths, config, connection, …)
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# What app/draw/verify.py may import: it runs alone, on a bare Python.
VERIFY_ALLOWED = {
    "__future__",
    "argparse",
    "hashlib",
    "json",
    "sys",
    "os",
    "pathlib",
    "typing",
    "dataclasses",
    "collections",
    "itertools",
    "zipfile",
    "io",
}
GUI_LIBS = ("PySide6", "shiboken6")
DB_LIBS = ("sqlalchemy", "alembic", "psycopg")
FILE_LIBS = ("openpyxl", "python_calamine", "reportlab")


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(APP.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


@cache
def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _imported_names(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every absolute module name `module` imports (with the line), lazy imports included."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            yield target, node.lineno
            for alias in node.names:  # `from app.x import module`
                yield f"{target}.{alias.name}", node.lineno


def _resolve(name: str) -> str | None:
    """The app module an imported name lands in (a symbol resolves to its module)."""
    while name:
        if name in modules():
            return name
        name = name.rpartition(".")[0]
    return None


@cache
def graph() -> dict[str, dict[str, int]]:
    """module → {app module it imports: line}."""
    edges: dict[str, dict[str, int]] = {}
    for module, path in modules().items():
        out: dict[str, int] = {}
        for name, line in _imported_names(module, path):
            target = _resolve(name) if name.split(".")[0] == "app" else None
            if target and target != module and name.startswith("app"):
                out.setdefault(target, line)
        # `from app.x import y` names module app.x.y only when it exists; a symbol
        # resolves to app.x itself, which is already recorded.
        edges[module] = out
    return edges


def _externals(path: Path) -> Iterator[tuple[str, int]]:
    for name, line in _imported_names("", path):
        top = name.split(".")[0]
        if top and top != "app":
            yield top, line


def test_no_import_cycles() -> None:
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = 0
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))

    def visit(v: str) -> None:
        nonlocal counter
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
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
                cycles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    described = [
        " ↔ ".join(c) + ": " + "; ".join(f"{a} → {b}" for a in c for b in edges[a] if b in c)
        for c in cycles
    ]
    assert not cycles, "import cycles:\n" + "\n".join(described)


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in {"paths", "config", "connection", "resources"}:
        return "base"
    if parts[1] in {"__main__", "cli", "gui", "commands", "logging_setup"}:
        return "entry"
    return parts[1]  # views, services, models, draw, domain, excel, reports, migrations


# Which layers each layer may import (besides itself).
ALLOWED: dict[str, set[str]] = {
    "entry": {"views", "services", "models", "draw", "domain", "excel", "reports", "base"},
    "views": {"services", "models", "draw", "domain", "base"},
    "services": {"models", "draw", "domain", "excel", "reports", "base"},
    "models": {"domain", "base"},
    "migrations": {"models", "domain", "base"},
    "excel": {"domain", "base"},
    "reports": {"domain", "draw", "base"},
    "domain": {"draw", "base"},
    "draw": set(),
    "base": {"domain"},
}


def test_imports_follow_the_layers() -> None:
    wrong = []
    for module, targets in graph().items():
        mine = layer(module)
        for target, line in targets.items():
            theirs = layer(target)
            if theirs != mine and theirs not in ALLOWED[mine]:
                wrong.append(
                    f"{modules()[module].relative_to(APP.parent)}:{line}: {mine} → {target}"
                )
    assert not wrong, "imports against the layer order:\n" + "\n".join(sorted(wrong))


def test_common_services_import_no_other_service_package() -> None:
    wrong = [
        f"{module} → {target}"
        for module, targets in graph().items()
        if module.startswith("app.services.common")
        for target in targets
        if target.startswith("app.services.") and not target.startswith("app.services.common")
    ]
    assert not wrong


def _forbidden(prefix: str, libs: tuple[str, ...]) -> list[str]:
    found = []
    for module, path in modules().items():
        if module == prefix or module.startswith(prefix + "."):
            for top, line in _externals(path):
                if top in libs:
                    found.append(f"{path.relative_to(APP.parent)}:{line}: {top}")
    return found


def test_draw_is_standard_library_only() -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    wrong = [
        f"{path.relative_to(APP.parent)}:{line}: {top}"
        for module, path in modules().items()
        if module.startswith("app.draw")
        for top, line in _externals(path)
        if top not in stdlib
    ]
    assert not wrong


def test_verify_py_runs_on_a_bare_python() -> None:
    path = modules()["app.draw.verify"]
    wrong = [f"{line}: {top}" for top, line in _externals(path) if top not in VERIFY_ALLOWED]
    wrong += [f"{line}: {t}" for t, line in graph()["app.draw.verify"].items()]
    assert not wrong


def test_domain_has_no_qt_and_no_database() -> None:
    assert not _forbidden("app.domain", GUI_LIBS + DB_LIBS + FILE_LIBS)


def test_views_hold_no_sql_and_no_file_formats() -> None:
    assert not _forbidden("app.views", DB_LIBS + FILE_LIBS)


def test_only_views_and_the_gui_entry_use_qt() -> None:
    wrong = [
        f
        for prefix in ("app.services", "app.models", "app.draw", "app.domain", "app.excel")
        for f in _forbidden(prefix, GUI_LIBS)
    ]
    assert not wrong


def test_no_process_events_loops() -> None:
    wrong = [
        f"{path.relative_to(APP.parent)}"
        for path in modules().values()
        if "processEvents" in path.read_text(encoding="utf-8")
    ]
    assert not wrong, "processEvents() re-enters the event loop; use a background job"


def test_no_module_over_500_lines() -> None:
    long = {
        str(path.relative_to(APP.parent)): n
        for module, path in modules().items()
        if module != "app.draw.verify"
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert not long
