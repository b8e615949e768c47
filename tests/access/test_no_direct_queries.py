"""Views never query sensitive models directly: reads go through policy-scoped selectors.

Static check with ``ast``: in every view module of an app (``views.py``, ``*views*.py``
such as ``closure_views.py``, and every module of a ``views/`` package)
it finds ``X.objects`` / ``X._default_manager`` / ``X._base_manager``,
``get_object_or_404(X, ...)`` / ``get_list_or_404(X, ...)`` and ``get_user_model()``
uses, resolves ``X`` against the imported module (so aliases are caught), and fails when
``X`` is a sensitive model.

Fail closed: every installed model is sensitive unless named in NOT_SENSITIVE (reference
data that is not personal data). New case models are therefore covered the day they are
added, without editing this file.
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.shortcuts import get_list_or_404, get_object_or_404

import samverkan

SRC = Path(samverkan.__file__).resolve().parent
MANAGER_ATTRS = {"objects", "_default_manager", "_base_manager"}
SHORTCUTS = {get_object_or_404, get_list_or_404}

# Models whose rows are not personal data: public bodies, places, police-published
# classifications, and role definitions (configuration). Everything else is sensitive.
NOT_SENSITIVE = {
    "directory.Organisation",
    "directory.District",
    "directory.Area",
    "directory.AreaClassification",
    "accounts.Role",
}
# Named in the foundation issue; must stay sensitive whatever NOT_SENSITIVE says.
MUST_BE_SENSITIVE = {"accounts.User", "audit.AuditEvent", "jobs.Job"}

# Justified exceptions: "<module>:<function>:<expression>" -> why it is safe.
# Keep this empty unless a view truly cannot use a selector; say why in the comment.
ALLOWED: dict[str, str] = {}


@dataclass(frozen=True)
class Finding:
    module: str
    function: str
    line: int
    expression: str
    model: str

    @property
    def key(self) -> str:
        return f"{self.module}:{self.function}:{self.expression}"

    def __str__(self) -> str:
        return f"{self.module}:{self.line} in {self.function}(): {self.expression} ({self.model})"


def sensitive_labels() -> set[str]:
    return {m._meta.label for m in apps.get_models()} - NOT_SENSITIVE


def view_modules() -> list[Path]:
    """Every module of an app whose name says it holds views: ``views.py``, any
    ``*views*.py`` (``closure_views.py``) and every module in a ``*views*/`` package."""
    files = set(SRC.glob("*/*views*.py")) | set(SRC.glob("*/*views*/*.py"))
    return sorted(f for f in files if f.name != "__init__.py" or f.stat().st_size)


def _module_name(path: Path) -> str:
    rel = path.relative_to(SRC.parent).with_suffix("")
    return ".".join(rel.parts)


class _Resolver(ast.NodeVisitor):
    """Collect direct model access in one module, resolved against its namespace."""

    def __init__(self, module: Any, module_name: str, sensitive: set[str]) -> None:
        self.module = module
        self.module_name = module_name
        self.sensitive = sensitive
        self.findings: list[Finding] = []
        self.scope: list[str] = []

    # -- resolving expressions to objects ---------------------------------------------
    def resolve(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Name):
            return getattr(self.module, node.id, None)
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            return getattr(base, node.attr, None) if base is not None else None
        if isinstance(node, ast.Call) and self.resolve(node.func) is get_user_model:
            return get_user_model()
        return None

    def model_label(self, node: ast.AST) -> str | None:
        obj = self.resolve(node)
        if isinstance(obj, type) and issubclass(obj, models.Model) and not obj._meta.abstract:
            return obj._meta.label
        return None

    def add(self, node: ast.AST, label: str | None) -> None:
        if label is None or label not in self.sensitive:
            return
        self.findings.append(
            Finding(
                module=self.module_name,
                function=".".join(self.scope) or "<module>",
                line=getattr(node, "lineno", 0),
                expression=ast.unparse(node),
                model=label,
            )
        )

    # -- visiting ---------------------------------------------------------------------
    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in MANAGER_ATTRS:
            self.add(node, self.model_label(node.value))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = self.resolve(node.func)
        if func in SHORTCUTS and node.args:
            self.add(node.args[0], self.model_label(node.args[0]))
        elif func is get_user_model:
            self.add(node, "accounts.User" if "accounts.User" in self.sensitive else None)
        self.generic_visit(node)


def findings_in(path: Path, sensitive: set[str]) -> list[Finding]:
    name = _module_name(path)
    module = importlib.import_module(name)
    resolver = _Resolver(module, name, sensitive)
    resolver.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return resolver.findings


def test_the_named_models_are_sensitive():
    assert sensitive_labels() >= MUST_BE_SENSITIVE
    assert not NOT_SENSITIVE & MUST_BE_SENSITIVE


def test_there_are_views_to_check():
    names = {_module_name(p) for p in view_modules()}
    assert {"samverkan.accounts.views.login", "samverkan.logreview.trail_views", "samverkan.jobs.views"} <= names
    # Issue 13: view modules not named views.py were unchecked.
    assert {
        "samverkan.cases.views.programmes",
        "samverkan.casepages.views.closure",
        "samverkan.rostering.views.capacity",
        "samverkan.rostering.views.swaps",
    } <= names


def test_views_do_not_query_sensitive_models_directly():
    sensitive = sensitive_labels()
    found = [f for path in view_modules() for f in findings_in(path, sensitive)]
    bad = [str(f) for f in found if f.key not in ALLOWED]
    assert not bad, (
        "views query sensitive models directly; add a policy-scoped selector instead:\n"
        + "\n".join(bad)
    )


def test_allowlist_has_no_stale_entries():
    sensitive = sensitive_labels()
    keys = {f.key for path in view_modules() for f in findings_in(path, sensitive)}
    assert not set(ALLOWED) - keys, f"stale ALLOWED entries: {sorted(set(ALLOWED) - keys)}"


# --- the checker itself must be able to fail --------------------------------------------

BAD_VIEWS = """
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404 as fetch
from samverkan.accounts.models import User as Person
from samverkan.audit import models as audit_models
from samverkan.jobs.models import Job
from samverkan.directory.models import Area


def one(request):
    return Person.objects.all()

def two(request):
    return audit_models.AuditEvent._default_manager.count()

def three(request, pk):
    return fetch(Job, pk=pk)

def four(request):
    return get_user_model().objects.first()

def fine(request, pk):
    return Area.objects.get(pk=pk)
"""


@pytest.fixture
def bad_views(tmp_path, monkeypatch):
    pkg = tmp_path / "noqueries_probe"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "views.py").write_text(BAD_VIEWS)
    monkeypatch.syspath_prepend(str(tmp_path))
    return pkg / "views.py"


def test_checker_catches_aliases_shortcuts_and_get_user_model(bad_views):
    module = importlib.import_module("noqueries_probe.views")
    resolver = _Resolver(module, "noqueries_probe.views", sensitive_labels())
    resolver.visit(ast.parse(bad_views.read_text()))
    got = {(f.function, f.model) for f in resolver.findings}
    assert ("one", "accounts.User") in got
    assert ("two", "audit.AuditEvent") in got
    assert ("three", "jobs.Job") in got
    assert ("four", "accounts.User") in got
    assert not any(f.function == "fine" for f in resolver.findings)
