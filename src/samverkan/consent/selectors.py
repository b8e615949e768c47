"""Reading consent state, disclosures and the legal-basis catalogue.

Case-scoped functions take a ``case`` and ``access`` the caller got from
caseaccess.selectors.case_for_actor (outside the team → 404).
Consent is evaluated afresh on every request: a withdrawal takes effect on the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.access import policy
from samverkan.access.permissions import Permission
from samverkan.audit import services as audit
from samverkan.audit.actions import Action
from samverkan.cases.actions import CaseGate
from samverkan.cases.models import InformationCategory, TeamMember
from samverkan.consent.models import (
    DOCUMENT_EXTENSIONS,
    Consent,
    ConsentGiver,
    Disclosure,
    LegalBasis,
)
from samverkan.consent.rules import (
    ConsentFact,
    ConsentRules,
    EffectiveConsent,
    effective_consent,
    eighteenth_birthday,
)
from samverkan.consent.services import ALLOWED_DOCUMENT_TYPES
from samverkan.directory.models import Organisation
from samverkan.lib.dates import age_on
from samverkan.people.models import Guardianship

if TYPE_CHECKING:
    from samverkan.accounts.models import User


def consent_facts_for_cases(case_ids: list[int]) -> dict[int, list[ConsentFact]]:
    """Every recorded consent of each case as the rules see it, in one query (a row per
    consent and organisation, plain values: list pages read all consents of a page)."""
    facts: dict[int, dict[int, ConsentFact]] = {i: {} for i in case_ids}
    orgs: dict[int, set[int]] = {}
    for pk, case_id, giver, guardianship_id, given_on, valid_from, valid_to, withdrawn_at, categories, org_id in (
        Consent.objects.filter(case_id__in=case_ids)
        .order_by("-valid_from", "-pk")  # the model's order; on a tie the rules take the first
        .values_list(
            "pk", "case_id", "giver", "guardianship_id", "given_on", "valid_from", "valid_to", "withdrawn_at",
            "categories", "organisations",
        )
    ):
        if pk not in facts[case_id]:
            orgs[pk] = set()
            facts[case_id][pk] = ConsentFact(
                id=pk, giver=giver, guardianship_id=guardianship_id, given_on=given_on, valid_from=valid_from,
                valid_to=valid_to, withdrawn=withdrawn_at is not None, organisation_ids=frozenset(),
                categories=frozenset(categories),
            )
        if org_id is not None:
            orgs[pk].add(org_id)
    return {
        case_id: [replace(fact, organisation_ids=frozenset(orgs[pk])) for pk, fact in by_pk.items()]
        for case_id, by_pk in facts.items()
    }


def effective_consents_for_cases(*, cases: list[Any], today: date) -> dict[int, EffectiveConsent]:
    """effective_consent for each case (with ``programme`` and ``person`` loaded) in at
    most two queries. Guardianships are read only for people young enough to need them."""
    if not cases:
        return {}
    facts = consent_facts_for_cases([c.pk for c in cases])
    minors = {
        c.person_id for c in cases if c.person.age_on(today) < c.programme.guardian_consent_until_age
    }
    guardians: dict[int, list[int]] = {}
    if minors:
        for gid, child in (
            Guardianship.objects.filter(child_id__in=minors, active=True).order_by("pk").values_list("pk", "child_id")
        ):
            guardians.setdefault(child, []).append(gid)
    return {
        c.pk: effective_consent(
            birth_date=c.person.birth_date,
            consents=facts[c.pk],
            rules=ConsentRules(
                own_consent_from_age=c.programme.own_consent_from_age,
                guardian_consent_until_age=c.programme.guardian_consent_until_age,
                guardianship_ids=tuple(guardians.get(c.person_id, ())),
            ),
            today=today,
        )
        for c in cases
    }


def effective_consent_for_case(*, case: Any, today: date) -> EffectiveConsent:
    """Evaluated afresh on every request: a withdrawal takes effect on the next one."""
    return effective_consents_for_cases(cases=[case], today=today)[case.pk]


def consents_for_case(*, case: Any) -> QuerySet[Consent]:
    return (
        Consent.objects.filter(case_id=case.pk)
        .select_related("guardianship__guardian", "recorded_by")
        .prefetch_related("organisations")
        .order_by("-valid_from", "-pk")
    )


# --- the consent page -------------------------------------------------------------------


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


def _category_labels(values: Any) -> list[str]:
    labels = dict(InformationCategory.choices)
    return [str(labels[v]) for v in InformationCategory.values if v in set(values)]


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
                categories=_category_labels(c.categories),
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
        categories=_category_labels(effective.categories),
        lapsed_at_18=effective.lapsed_at_18,
        age=case.person.age_on(today),
    )


def consent_for_case(*, case: Any, consent_id: int) -> Consent:
    """One consent of this case; 404 for any other."""
    return policy.get_or_404(consents_for_case(case=case), pk=consent_id)


def document_content_type(head: bytes) -> str | None:
    for content_type, magics in ALLOWED_DOCUMENT_TYPES.items():
        if any(head.startswith(m) for m in magics):
            return content_type
    return None


@dataclass(frozen=True)
class ConsentDocument:
    consent: Consent
    content_type: str
    filename: str


def consent_document(
    *, actor: User, case: Any, access: CaseGate, consent_id: int
) -> ConsentDocument:
    """The signed form of one consent, for the lead organisation's team only (403 for
    other team members). Audited as CONSENT_DOCUMENT_VIEWED. The content type comes
    from the file's own first bytes, not from what the uploader's browser claimed."""
    if not access.is_lead_team:
        raise PermissionDenied
    consent = consent_for_case(case=case, consent_id=consent_id)
    if not consent.document:
        raise Http404
    with consent.document.open("rb") as handle:
        content_type = document_content_type(handle.read(16))
    if content_type is None:  # never stored unchecked; refuse rather than serve it
        raise Http404
    audit.record(
        action=Action.CONSENT_DOCUMENT_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"consent": consent.pk},
    )
    filename = f"consent-{consent.pk}{DOCUMENT_EXTENSIONS[content_type]}"
    return ConsentDocument(consent=consent, content_type=content_type, filename=filename)


def consents_expiring(
    *, within_days: int = 30, today: date | None = None, case_ids: list[int] | None = None
) -> QuerySet[Consent]:
    """Consents that are in force today, not withdrawn, and end within ``within_days``
    days (inclusive), soonest first — for the reminders (bevakning). Not scoped to a
    viewer: the caller shows each row only to the lead organisation's team of its case
    (e.g. by ``case_ids`` of cases where the user is on the lead team)."""
    today = today or timezone.localdate()
    qs = Consent.objects.filter(
        withdrawn_at__isnull=True,
        valid_from__lte=today,
        valid_to__gte=today,
        valid_to__lte=today + timedelta(days=within_days),
    )
    if case_ids is not None:
        qs = qs.filter(case_id__in=case_ids)
    return qs.select_related("case", "case__lead_organisation").order_by("valid_to", "pk")


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


# --- disclosures --------------------------------------------------------------------------


def disclosures_for_case(*, case: Any) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(case_id=case.pk).select_related(
        "basis", "from_organisation", "to_organisation", "decided_by"
    )


def disclosures_visible(*, actor: User, case: Any, access: CaseGate) -> list[Disclosure]:
    """The case's disclosure register as this viewer may see it: all of it for the lead
    organisation's team, otherwise the disclosures from or to the viewer's organisation.
    Audited as DISCLOSURE_REGISTER_VIEWED with the number shown."""
    qs = disclosures_for_case(case=case)
    if not access.is_lead_team:
        qs = qs.filter(
            Q(from_organisation_id=access.viewer_org_id)
            | Q(to_organisation_id=access.viewer_org_id)
        )
    rows = list(qs.order_by("-decided_at", "-pk"))
    audit.record(
        action=Action.DISCLOSURE_REGISTER_VIEWED,
        actor=actor,
        subject_type="case",
        subject_id=case.public_id,
        subject_organisation_id=case.lead_organisation_id,
        detail={"shown": len(rows)},
    )
    return rows


def disclosure_recipients(*, actor: User) -> QuerySet[Organisation]:
    """Organisations a disclosure may go to: any active one but the actor's own (the
    chosen basis then decides, in consent.services.disclosure_record)."""
    return (
        Organisation.objects.filter(active=True).exclude(pk=actor.organisation_id).order_by("name")
    )


class Direction(StrEnum):
    ALL = ""
    FROM = "from"
    TO = "to"


def _register_qs(*, actor: User, direction: str) -> QuerySet[Disclosure]:
    if (
        not policy.has_permission(actor, Permission.DISCLOSURE_REGISTER_VIEW)
        or actor.organisation_id is None
    ):
        return Disclosure.objects.none()
    org = actor.organisation_id
    if direction == Direction.FROM:
        q = Q(from_organisation_id=org)
    elif direction == Direction.TO:
        q = Q(to_organisation_id=org)
    else:
        q = Q(from_organisation_id=org) | Q(to_organisation_id=org)
    return (
        Disclosure.objects.filter(q)
        .select_related("basis", "from_organisation", "to_organisation", "decided_by", "case")
        .order_by("-decided_at", "-pk")
    )


def disclosure_register(
    *, actor: User, direction: str = "", page: int = 1, per_page: int = 50
) -> tuple[Page[Any], list[Disclosure]]:
    """The organisation-wide disclosure register: every disclosure from or to the
    actor's organisation (users with DISCLOSURE_REGISTER_VIEW; others see none).
    Audited with the number of rows shown."""
    paginator = Paginator(_register_qs(actor=actor, direction=direction), per_page)
    page_obj = paginator.get_page(page)
    rows = list(page_obj.object_list)
    audit.record(
        action=Action.DISCLOSURE_REGISTER_VIEWED,
        actor=actor,
        subject_type="disclosure_register",
        subject_organisation_id=actor.organisation_id,
        detail={"shown": len(rows), "direction": direction or "all"},
    )
    return page_obj, rows


def disclosure_register_export(*, actor: User, direction: str = "") -> list[Disclosure]:
    """All rows of the register for a CSV export; audited with the count and format."""
    rows = list(_register_qs(actor=actor, direction=direction))
    audit.record(
        action=Action.DISCLOSURE_REGISTER_VIEWED,
        actor=actor,
        subject_type="disclosure_register",
        subject_organisation_id=actor.organisation_id,
        detail={"shown": len(rows), "direction": direction or "all", "format": "csv"},
    )
    return rows


def category_labels(values: Any) -> list[str]:
    return _category_labels(values)


# --- the legal-basis catalogue --------------------------------------------------------


def legal_bases(*, statute_only: bool = True) -> QuerySet[LegalBasis]:
    qs = LegalBasis.objects.filter(active=True)
    return qs.filter(kind="statute") if statute_only else qs


def legal_bases_catalogue() -> QuerySet[LegalBasis]:
    """Every catalogue entry, retired ones too (configuration, not personal data)."""
    return LegalBasis.objects.order_by("-active", "reference")


def legal_basis_get(*, pk: int) -> LegalBasis:
    return policy.get_or_404(LegalBasis.objects.all(), pk=pk)
