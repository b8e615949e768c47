"""No choice in a form reads "---------" (Django's default empty choice) or any other
placeholder without words (an empty label, a dash): an empty choice says what it means ("Choose an
organisation", "Every area", "No successor"), a required field with a handful of choices
is radio buttons, and a required field may have no empty choice at all (issue 12, 6).

Three checks, since choices are made in three places:

* the fields every form class declares, or its ModelForm makes of the model (a foreign key's
  ``empty_label``, the blank choice of a model field with ``choices``), seen on the class;
* choices put together in code (``[("", <a dash>), *groups]`` in a form's ``__init__``,
  ``set_choices(..., blank=<a dash>)``), seen in the source with ``ast``;
* every form that can be made without arguments, rendered, as a last net.
"""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django import forms

import samverkan
from samverkan.directory.models import Organisation

SRC = Path(samverkan.__file__).resolve().parent
DJANGO_DASHES = "---------"
_WORDS = re.compile(r"\w")
# Modules that run something when imported (the command line) or read the environment.
_SKIPPED = ("samverkan.__main__", "samverkan.cli", "samverkan.settings", "samverkan.gunicorn_conf")


@functools.cache
def _form_classes() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for info in pkgutil.walk_packages(samverkan.__path__, "samverkan."):
        if info.name.startswith(_SKIPPED) or ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if (inspect.isclass(obj) and issubclass(obj, forms.BaseForm)
                    and obj.__module__ == module.__name__):
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def _placeholder(label: Any) -> bool:
    return label is not None and not _WORDS.search(str(label))


def _empty_choice_labels(field: forms.Field) -> Iterator[Any]:
    """The label of each empty choice ``field`` offers (a foreign key's ``empty_label``)."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label is not None:
            yield field.empty_label
        return
    if isinstance(field, forms.ChoiceField):
        for value, label in field.choices:
            if isinstance(label, list | tuple):  # a group: (name, [(value, label), ...])
                yield from (inner for v, inner in label if v in ("", None))
            elif value in ("", None):
                yield label


def test_form_classes_are_found() -> None:
    names = {f"{c.__module__}.{c.__name__}" for c in _form_classes()}
    # The walk reaches forms in packages, in plain modules and in views.
    assert {"samverkan.rostering.forms.ExpertForm", "samverkan.trefas.forms.admin.MemberForm",
            "samverkan.rostering.views.capacity.CapacityForm"} <= names


def test_declared_fields_name_their_empty_choice() -> None:
    offenders = [
        f"{form.__module__}.{form.__name__}.{name}: {label!r}"
        for form in _form_classes()
        for name, field in form.base_fields.items()
        for label in _empty_choice_labels(field)
        if _placeholder(label)
    ]
    assert not offenders, "Empty choices without words (give them an empty_label or none):\n" + "\n".join(
        offenders
    )


def _wordless_literals(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        # ("", "–") and ("", ""): an empty choice put together in code.
        if (isinstance(node, ast.Tuple) and len(node.elts) == 2
                and isinstance(node.elts[0], ast.Constant) and node.elts[0].value == ""
                and isinstance(node.elts[1], ast.Constant) and isinstance(node.elts[1].value, str)
                and _placeholder(node.elts[1].value)):
            yield node
        # set_choices(..., blank="–"), ModelChoiceField(..., empty_label="---------")
        if (isinstance(node, ast.keyword) and node.arg in ("blank", "empty_label")
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
                and _placeholder(node.value.value)):
            yield node.value


def test_no_wordless_empty_choice_in_code() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.relative_to(SRC).parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in _wordless_literals(ast.parse(source)):
            lineno = getattr(node, "lineno", 0)
            offenders.append(f"{path.relative_to(SRC.parent)}:{lineno}: {lines[lineno - 1].strip()}")
        if "BLANK_CHOICE_DASH" in source:
            offenders.append(f"{path.relative_to(SRC.parent)}: uses BLANK_CHOICE_DASH")
    for path in sorted(SRC.rglob("templates/**/*.html")):
        if DJANGO_DASHES in path.read_text(encoding="utf-8"):
            offenders.append(f"{path.relative_to(SRC.parent)}: {DJANGO_DASHES}")
    assert not offenders, "Empty choices without words:\n" + "\n".join(offenders)


def test_the_checks_see_a_placeholder() -> None:
    """The checks themselves: each finds the placeholder it is for."""

    class Dashes(forms.Form):
        organisation = forms.ModelChoiceField(queryset=Organisation.objects.none())
        kind = forms.ChoiceField(choices=[("", "–"), ("a", "A")])
        named = forms.ModelChoiceField(queryset=Organisation.objects.none(), empty_label="Choose")

    labels = {name: list(_empty_choice_labels(f)) for name, f in Dashes.base_fields.items()}
    assert [_placeholder(label) for label in labels["organisation"]] == [True]
    assert [_placeholder(label) for label in labels["kind"]] == [True]
    assert [_placeholder(label) for label in labels["named"]] == [False]
    code = 'f.choices = [("", "–"), *x]\nset_choices(f, "x", y, blank="—")\nok = [("", _("All"))]\n'
    assert len(list(_wordless_literals(ast.parse(code)))) == 2


@pytest.mark.django_db
def test_forms_made_without_arguments_render_no_dashes() -> None:
    rendered = 0
    offenders = []
    for form_class in _form_classes():
        if issubclass(form_class, forms.ModelForm) and form_class._meta.model is None:
            continue  # a base of ModelForms
        try:
            form = form_class()
        except TypeError:  # needs its choices from the view (keyword arguments)
            continue
        rendered += 1
        if DJANGO_DASHES in str(form):
            offenders.append(f"{form_class.__module__}.{form_class.__name__}")
    assert rendered > 40
    assert not offenders, offenders
