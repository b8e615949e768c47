"""An import belongs at the top of its module. A function-level import hides a cycle or
an upward import from a reader (lint-imports still sees it), so one stays only where
there is a reason, written on the import's line as ``# deferred: <reason>``:

* a heavy optional dependency used on one path only (OR-Tools, openpyxl, icalendar,
  WeasyPrint: each adds a tenth of a second to a second to every process that loads it);
* app-registry timing (``apps.py`` ``ready()``, ``wsgi.py`` before Django is set up):
  a module that imports models cannot be loaded before the registry is ready.

Static check with ``ast`` over every module under src/samverkan (migrations skipped).
"""

from __future__ import annotations

import ast
from pathlib import Path

import samverkan

SRC = Path(samverkan.__file__).resolve().parent
MARK = "# deferred:"

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _app(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.relative_to(SRC).parts)


def _function_level_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def walk(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            walk(child, in_function or isinstance(child, _FUNCTIONS))

    walk(tree, False)
    return found


def _reason(lines: list[str], node: ast.Import | ast.ImportFrom) -> str:
    """The text after ``# deferred:`` on any line of the import statement ("" if none)."""
    for line in lines[node.lineno - 1 : (node.end_lineno or node.lineno)]:
        if MARK in line:
            return line.split(MARK, 1)[1].strip()
    return ""


def _undocumented(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    rel = path.relative_to(SRC.parent)
    return [
        f"{rel}:{node.lineno}: {lines[node.lineno - 1].strip()}"
        for node in _function_level_imports(ast.parse(source, filename=str(path)))
        if not _reason(lines, node)
    ]


def test_the_check_sees_the_source_tree() -> None:
    modules = _modules()
    assert len(modules) > 100
    assert {"frontend", "home", "rostering", "public", "tips"} <= {_app(p) for p in modules}


def test_the_check_finds_function_level_imports() -> None:
    tree = ast.parse(
        "import os\n"
        "def f():\n"
        "    import json\n"
        "    g = lambda: __import__('x')\n"
        "    if True:\n"
        "        from a import b  # deferred: a reason\n"
        "class C:\n"
        "    def m(self):\n"
        "        import re\n"
    )
    lines = [n.lineno for n in _function_level_imports(tree)]
    assert lines == [3, 6, 9]


def test_every_function_level_import_says_why_it_is_deferred() -> None:
    offenders = [
        finding for path in _modules() for finding in _undocumented(path)
    ]
    assert not offenders, (
        "Move these imports to the top of their module (or, for a heavy optional dependency "
        "or app-registry timing, say why on the line with '# deferred: <reason>'):\n" + "\n".join(offenders)
    )
