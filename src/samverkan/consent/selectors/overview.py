"""The case's consent page: each consent's state, the effective consent and what is
missing, and the organisations the consent form offers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.cases.actions import CaseGate
from samverkan.cases.models import TeamMember
from samverkan.consent.models import Consent, ConsentGiver
from samverkan.consent.rules import EffectiveConsent, eighteenth_birthday
from samverkan.consent.selectors.common import category_labels, consents_for_case
from samverkan.consent.selectors.effective import effective_consent_for_case
from samverkan.directory.models import Organisation
from samverkan.lib.dates import age_on


class ConsentStatus(StrEnum):
    VALID = "valid"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    LAPSED_AT_18 = "lapsed_at_18"


def consent_status(
    consent: Consent, *, birth_date: date, guardian_until_age: int, today: date
) -> ConsentStatus:
    """A single consent's state on ``today``. A guardian's consent (and a minor's own,
    given before 18) lapses when the participant reaches the programme's age."""
    if consent.withdrawn_at is not None:
        return ConsentStatus.WITHDRAWN
    adult = age_on(birth_date, today) >= guardian_until_age
    given_as_minor = consent.given_on < eighteenth_birthday(birth_date)
    if adult and (consent.giver == ConsentGiver.GUARDIAN or given_as_minor):
        return ConsentStatus.LAPSED_AT_18
    if consent.valid_to < today:
        return ConsentStatus.EXPIRED
    if consent.valid_from > today:
        return ConsentStatus.NOT_YET_VALID
    return ConsentStatus.VALID


STATUS_LABELS = {
    ConsentStatus.VALID: ("green", gettext_lazy("Valid")),
    ConsentStatus.NOT_YET_VALID: ("blue", gettext_lazy("Not yet valid")),
    ConsentStatus.EXPIRED: ("grey", gettext_lazy("Expired")),
    ConsentStatus.WITHDRAWN: ("red", gettext_lazy("Withdrawn")),
    ConsentStatus.LAPSED_AT_18: ("orange", gettext_lazy("Lapsed at 18")),
}


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    status: ConsentStatus
    status_label: str
    status_colour: str
    giver: str
    organisations: list[str]
    categories: list[str]
    has_document: bool


@dataclass(frozen=True)
class ConsentOverview:
    rows: list[ConsentRow]
    effective: EffectiveConsent
    organisations: list[str]
    categories: list[str]
    lapsed_at_18: bool
    age: int


def _giver_label(consent: Consent, *, show_names: bool) -> str:
    if consent.giver != ConsentGiver.GUARDIAN:
        return str(ConsentGiver(consent.giver).label)
    guardian = consent.guardianship.guardian if consent.guardianship else None
    if guardian is None or not show_names:
        return str(ConsentGiver.GUARDIAN.label)
    if guardian.protected_identity:
        return _("Guardian (protected identity)")
    return _("Guardian: %(name)s") % {"name": guardian.full_name}


def consent_overview(
    *, case: Any, access: CaseGate, today: date | None = None
) -> ConsentOverview:
    """The case's consents with their state, and the effective consent with what is
    missing. Guardians' names only for the lead organisation's team. A fixed number of
    queries whatever the number of consents."""
    today = today or timezone.localdate()
    birth = case.person.birth_date
    until = case.programme.guardian_consent_until_age
    consents = list(consents_for_case(case=case))
    rows = []
    for c in consents:
        status = consent_status(c, birth_date=birth, guardian_until_age=until, today=today)
        colour, label = STATUS_LABELS[status]
        rows.append(
            ConsentRow(
                consent=c,
                status=status,
                status_label=str(label),
                status_colour=colour,
                giver=_giver_label(c, show_names=access.is_lead_team),
                organisations=sorted(o.name for o in c.organisations.all()),
                categories=category_labels(c.categories),
                has_document=bool(c.document),
            )
        )
    effective = effective_consent_for_case(case=case, today=today)
    org_names = dict(
        Organisation.objects.filter(pk__in=effective.organisation_ids).values_list("pk", "name")
    )
    return ConsentOverview(
        rows=rows,
        effective=effective,
        organisations=sorted(org_names[o] for o in effective.organisation_ids if o in org_names),
        categories=category_labels(effective.categories),
        lapsed_at_18=effective.lapsed_at_18,
        age=case.person.age_on(today),
    )


def consent_organisation_choices(
    *, case: Any
) -> tuple[QuerySet[Organisation], QuerySet[Organisation]]:
    """(organisations of the case's active team, other active organisations of the
    kinds that take part in the programme) for the consent form."""
    team_orgs = TeamMember.objects.filter(case_id=case.pk, active=True).values("organisation_id")
    team = Organisation.objects.filter(pk__in=team_orgs).order_by("name")
    kinds = set(case.programme.participating_kinds) | {case.programme.lead_organisation_kind}
    others = (
        Organisation.objects.filter(active=True, kind__in=kinds)
        .exclude(pk__in=team_orgs)
        .order_by("name")
    )
    return team, others
