"""Consent, legal bases and disclosures: the only ways information crosses an
organisation's boundary (OSL 10 kap. 1 §, 12 kap. 2-3 §§, and the statutory bases)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.cases.models import Case
from samverkan.directory.models import Organisation
from samverkan.people.models import Guardianship, Person


class BasisKind(models.TextChoices):
    CONSENT = "consent", _("Consent")
    STATUTE = "statute", _("Statutory basis")


class LegalBasis(models.Model):
    """A catalogue entry (configurable data): e.g. OSL 10 kap. 18 a §."""

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    reference = models.CharField(_("statute reference"), max_length=120)
    kind = models.CharField(max_length=16, choices=BasisKind.choices, default=BasisKind.STATUTE)
    description = models.TextField(_("when it applies"), blank=True)
    requires_balancing_test = models.BooleanField(default=True)
    max_subject_age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Only for persons under this age (e.g. 21)."
    )
    min_subject_age = models.PositiveSmallIntegerField(null=True, blank=True)
    recipient_kinds = models.JSONField(
        default=list, blank=True, help_text="Organisation kinds that may receive; empty = any."
    )
    recipient_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="Organisation short codes (and their children) that may receive; empty = any.",
    )
    valid_from = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)
    # Trefas: a share under this basis waits for the owning organisation's jurist unless
    # this is off (configurable; e.g. OSL 10 kap. 20 §: an immediate police intervention).
    requires_review = models.BooleanField(_("a jurist reviews every share"), default=True)

    class Meta:
        ordering = ["reference"]

    def __str__(self) -> str:
        return f"{self.reference} – {self.title}"


DOCUMENT_EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def consent_document_path(instance: Consent, filename: str) -> str:
    """A random name: the uploaded file name may carry the person's name, and must not
    end up in the file system, backups or logs. The extension follows the checked type."""
    extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
    if extension not in DOCUMENT_EXTENSIONS.values():
        extension = ""
    return f"consent/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person (adult)")
    YOUNG_PERSON = "young_person", _("The young person (minor)")
    GUARDIAN = "guardian", _("Guardian")


class Consent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    giver = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    guardianship = models.ForeignKey(
        Guardianship, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    given_on = models.DateField(_("signed on"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations that may share"), related_name="+"
    )
    categories = models.JSONField(_("information categories"), default=list)
    document = models.FileField(_("signed form"), upload_to=consent_document_path, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["case", "withdrawn_at"], name="consent_case_withdrawn")]

    def __str__(self) -> str:
        return f"Consent {self.pk}"


class DisclosureTrack(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual track (SIG)")
    TREFAS = "trefas", _("Trefas")


class DisclosureOutcome(models.TextChoices):
    DISCLOSED = "disclosed", _("Disclosed")
    REFUSED = "refused", _("Refused")


class Disclosure(models.Model):
    """Information handed from one organisation to another under a statutory basis: the
    disclosure register.

    On the individual track it opens to ``to_organisation`` the case's entries recorded by
    ``from_organisation`` in ``categories`` and created up to ``decided_at`` — nothing
    later. On the Trefas track (no case) it records a jurist's decision on a share, approved
    or refused, about ``person`` (the owning organisation's record); the share itself
    (``source_type``/``source_id``) is what the receivers then see. A check constraint
    keeps Trefas rows and refusals out of the case sharing rule.
    """

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.PROTECT, related_name="disclosures")
    track = models.CharField(max_length=12, choices=DisclosureTrack.choices, default=DisclosureTrack.INDIVIDUAL)
    outcome = models.CharField(max_length=10, choices=DisclosureOutcome.choices, default=DisclosureOutcome.DISCLOSED)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=500, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.CharField(max_length=40, blank=True)
    basis = models.ForeignKey(LegalBasis, on_delete=models.PROTECT, related_name="disclosures")
    from_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    categories = models.JSONField(default=list)
    description = models.TextField(_("what is disclosed"))
    balancing_test = models.TextField(_("balancing test"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at"]
        indexes = [
            models.Index(fields=["case", "to_organisation"], name="disclosure_case_to"),
            models.Index(fields=["person"], name="disclosure_person"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(track="individual", case__isnull=False, outcome="disclosed")
                    | models.Q(track="trefas", case__isnull=True)
                ),
                name="disclosure_track_shape",
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"
