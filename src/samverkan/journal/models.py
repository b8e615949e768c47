"""Journal notes (journalanteckningar): per organisation and category, immutable once
signed; a correction is a new note that references the old one."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Case, InformationCategory
from samverkan.directory.models import Organisation


class JournalNote(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    recorded_by_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("category"), max_length=16, choices=InformationCategory.choices)
    occurred_on = models.DateField(_("date of the event"))
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    # RESTRICT, not PROTECT: a corrected note cannot be deleted on its own, but the
    # retention purge may delete a whole case (note and correction together).
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.RESTRICT, related_name="corrections"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-occurred_on", "-created_at"]
        indexes = [
            models.Index(
                fields=["case", "recorded_by_organisation", "category"], name="note_case_org_cat"
            ),
        ]

    def __str__(self) -> str:
        return f"Note {self.public_id}"


class PurgePermit(models.Model):
    """A row here, inserted and removed inside the retention purge's own transaction,
    is what the database guard (journal.guard) checks before it lets a journal note be
    deleted. Other transactions never see the uncommitted row, so the permit cannot
    leak to a concurrent request. Use journal.guard.retention_purge_permit()."""

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PurgePermit {self.pk}"
