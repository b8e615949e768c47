"""What the lägesbild and the åtgärdsplan share: whose document it is (a municipality,
or one of its districts) and the way it is decided (draft → agreed → decided, with the
deciding body, date and reference; configurable per municipality, see legal-facts)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import District, Organisation


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed by the parties")
    DECIDED = "decided", _("Decided")
    REPLACED = "replaced", _("Replaced by a later version")


class Scope(models.Model):
    """Abstract: a document of a municipality, or of one district when ``district`` is set.
    Versioned: a new version copies the previous one (``previous``) and replaces it when
    decided; a decided version is never edited."""

    municipality = models.CharField(_("municipality"), max_length=120)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    number = models.PositiveSmallIntegerField(_("version number"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    participants = models.ManyToManyField(
        Organisation, verbose_name=_("organisations that took part"), blank=True, related_name="+"
    )
    agreed_on = models.DateField(_("agreed on"), null=True, blank=True)
    decided_by_body = models.CharField(_("deciding body"), max_length=200, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reference = models.CharField(_("decision reference"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period must end after it starts.")})
        if self.status == DocumentStatus.DECIDED and not (
            self.decided_by_body and self.decided_on and self.decision_reference
        ):
            raise ValidationError(_("A decision needs the deciding body, the date and the reference."))

    @property
    def editable(self) -> bool:
        return self.status == DocumentStatus.DRAFT
