"""People the programmes work with, and their guardians.

A Person row is personal data of the most sensitive kind. It is read only through
samverkan.access.policy (via people.selectors / cases.selectors); identity numbers are
stored as 12 digits and never appear in URLs, logs or audit rows.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from samverkan.lib import dates
from samverkan.lib.text import search_key


class IdentityKind(models.TextChoices):
    PERSONNUMMER = "personnummer", _("Personal identity number")
    SAMORDNINGSNUMMER = "samordningsnummer", _("Coordination number")


def name_search_key(first_name: str, last_name: str) -> str:
    """What Person.name_search holds for these names."""
    return search_key(f"{first_name} {last_name}")


class Person(models.Model):
    """One organisation's record of a person. The same identity number may be recorded by
    several organisations (each a secrecy compartment, OSL 8 kap.): each keeps its own
    row with its own details and guardians, so nothing one organisation recorded — not even
    that it knows the person — reaches another without a legal basis. Only the
    registerutdrag (dataprotection) reads across the rows of one identity number."""

    organisation = models.ForeignKey(
        "directory.Organisation", verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="person_records",
    )
    identity_number = models.CharField(_("identity number"), max_length=12)
    identity_kind = models.CharField(max_length=20, choices=IdentityKind.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # "first last" lowercased and without accents (lib.text.search_key), for the case
    # list's name search; set by save() from the two names, never edited by itself. On
    # PostgreSQL a trigram index serves it (migration 0003).
    name_search = models.CharField(max_length=201, blank=True, default="", editable=False)
    birth_date = models.DateField(_("date of birth"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Skyddade personuppgifter (e.g. sekretessmarkering): name, number and address are
    # shown only to the lead organisation's case team; every view is audited.
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    is_fictitious = models.BooleanField(
        default=False, help_text="Demo or test person; never a real one."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "identity_number"], name="one_record_per_organisation"),
        ]
        indexes = [models.Index(fields=["identity_number"], name="person_identity_number")]

    def __str__(self) -> str:  # never used in logs; kept minimal
        return f"Person {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The search key follows the names on every save (services, demo data, test
        # factories); bulk writers that skip save() call name_search_key themselves.
        self.name_search = name_search_key(self.first_name, self.last_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "name_search"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        """Whole years completed on ``day`` (the one age rule: ``lib.dates.age_on``)."""
        return dates.age_on(self.birth_date, day)


class Guardianship(models.Model):
    """A legal guardian (vårdnadshavare) of a minor. With joint custody the child has
    two active guardianships and both guardians must consent."""

    child = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="guardianships")
    guardian = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="guardian_of")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "guardian"], name="one_guardianship_per_pair"),
        ]

    def __str__(self) -> str:
        return f"Guardianship {self.pk}"
