"""The agreement itself: the city-wide one between the city and the police region, and
the local ones between a district and its local police area."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.directory.models import Area, District, Organisation


class AgreementKind(models.TextChoices):
    CITY = "city", _("City–police region")
    LOCAL = "local", _("District–local police area")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")
    ENDED = "ended", _("Ended")


class Agreement(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=120)
    district = models.ForeignKey(
        District, verbose_name=_("district"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    police = models.ForeignKey(
        Organisation, verbose_name=_("police region or local police area"), on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("city-wide agreement"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="local_agreements",
    )
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), blank=True, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    goals = models.TextField(_("goals"), max_length=6000, blank=True)
    # Prioritised problems from the joint picture (the lägesbild's problems).
    problems = models.ManyToManyField(
        "prevention.Problem", verbose_name=_("prioritised problems"), blank=True, related_name="agreements"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["municipality", "kind", "district__name", "-valid_from"]
        verbose_name = _("collaboration agreement")
        verbose_name_plural = _("collaboration agreements")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The agreement must end after it starts.")})
        if self.kind == AgreementKind.LOCAL and self.district_id is None:
            raise ValidationError({"district": _("A local agreement belongs to a district.")})


class AgreementParty(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("role in the agreement"), max_length=200, blank=True)

    class Meta:
        ordering = ["agreement", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="agreement_party_unique")
        ]
        verbose_name = _("party")

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.organisation_id}"


class Signatory(models.Model):
    """Who signs for a party: the head of the local police area and the chair of the
    municipal executive board (or the district committee). Names of office holders acting
    in office, not private data."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatories")
    organisation = models.ForeignKey(Organisation, verbose_name=_("for"), on_delete=models.PROTECT, related_name="+")
    office = models.CharField(_("office"), max_length=200)
    name = models.CharField(_("name"), max_length=200)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("signatory")

    def __str__(self) -> str:
        return self.office
