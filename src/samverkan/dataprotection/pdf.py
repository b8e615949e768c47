"""The subject access export (registerutdrag) as a PDF, with plain Swedish headings.

Laid out from the template dataprotection/pdf/registerutdrag.html by lib.documents
(autoescaped): everything held about the person is printed as the characters stored,
never interpreted."""

from __future__ import annotations

from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.dataprotection.selectors import SubjectAccessExport
from samverkan.lib.documents import render_pdf

LANGUAGE = "sv"


def _display(value: Any) -> str:
    """One stored value as text: empty as a dash, yes/no in words, lists and mappings
    joined. Line breaks are kept (the template prints them as line breaks)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "–"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _fields(row: dict[str, Any]) -> list[tuple[str, str]]:
    return [(_display(k), _display(v)) for k, v in row.items()]


def render_export_pdf(export: SubjectAccessExport) -> bytes:
    """The registerutdrag in Swedish, whatever the data protection officer's own
    interface language (the person it is for reads it)."""
    with translation.override(LANGUAGE):
        title = _("Extract from the register (registerutdrag)")
        made = _("Made %(when)s. Purpose: %(purpose)s") % {
            "when": timezone.localtime(export.generated_at).strftime("%Y-%m-%d %H:%M"),
            "purpose": export.purpose,
        }
        context: dict[str, Any] = {"made": made, "found": export.found}
        if export.found:
            context.update(
                records=[_fields(r) for r in export.records or [export.person]],
                guardians=[_fields(g) for g in export.guardians],
                guardian_of=[_fields(g) for g in export.guardian_of],
                cases=[
                    {
                        "heading": _("Case: %(title)s") % {"title": case["title"]},
                        "fields": _fields(case["case"]),
                        "sections": [
                            (heading, [_fields(row) for row in rows])
                            for heading, rows in case["sections"]
                        ],
                    }
                    for case in export.cases
                ],
                trefas=[
                    {
                        "heading": _("Trefas: %(organisation)s") % {"organisation": block["organisation"]},
                        "sections": [(heading, [_fields(row) for row in rows]) for heading, rows in block["sections"]],
                    }
                    for block in export.trefas
                ],
            )
        return render_pdf(
            template_name="dataprotection/pdf/registerutdrag.html", title=title, context=context
        )
