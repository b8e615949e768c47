"""What survives the retention purge: anonymous statistics, one row per purged case.

No person data and nothing that points back at the case: no case id, no dates finer
than a year, and a random primary key (so row order says nothing about purge order).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PurgedCaseStat(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    programme_code = models.CharField(_("programme"), max_length=60)
    lead_organisation_code = models.CharField(_("lead organisation"), max_length=40)
    district_code = models.CharField(_("district"), max_length=40)
    intake_source = models.CharField(_("how the case started"), max_length=24)
    final_status = models.CharField(_("status"), max_length=16)
    outcome_code = models.CharField(_("outcome"), max_length=32, blank=True)
    year_opened = models.PositiveSmallIntegerField(_("year opened"))
    year_closed = models.PositiveSmallIntegerField(_("year closed"), null=True, blank=True)
    months_in_programme = models.PositiveSmallIntegerField(_("months in the programme"))
    year_purged = models.PositiveSmallIntegerField(_("year purged"))

    class Meta:
        verbose_name = _("statistics of a purged case")
        verbose_name_plural = _("statistics of purged cases")
        indexes = [
            models.Index(
                fields=["programme_code", "district_code"], name="purgedstat_prog_district"
            )
        ]

    def __str__(self) -> str:
        return f"PurgedCaseStat {self.pk}"
