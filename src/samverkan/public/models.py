"""What residents give the public pages: the anonymous "how safe does the area feel"
poll. (Citizen promises live in the agreement app, within the agreement they are made
under; the residents' pages read them from there.)"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SafetyPollAnswer(models.Model):
    """One anonymous answer: how safe the area feels by day and in the evening (1 = very
    unsafe … 5 = very safe). Nothing identifies who answered: no account, no address, no
    time finer than the ISO week, no free text (privacy as the tip form)."""

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="+")
    week_start = models.DateField(_("week"))
    day_score = models.PositiveSmallIntegerField(_("by day"), validators=SCORE_VALIDATORS)
    evening_score = models.PositiveSmallIntegerField(_("in the evening"), validators=SCORE_VALIDATORS)

    class Meta:
        indexes = [models.Index(fields=["area", "week_start"], name="public_poll_area_week")]
        verbose_name = _("safety poll answer")

    def __str__(self) -> str:
        return f"{self.area_id} {self.week_start}"
