"""Consents in every state (valid, expired, withdrawn, partial, missing, lapsed at 18)
and the statutory disclosures."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from samverkan.accounts.models import User
from samverkan.caseaccess.decision import CaseAccess
from samverkan.cases.models import Case
from samverkan.consent.models import LegalBasis
from samverkan.consent.services import consent_record, consent_withdraw, disclosure_record
from samverkan.demo.individual_track.common import Loader, Spec
from samverkan.directory.models import Organisation
from samverkan.people.models import Guardianship

CONSENT_CATEGORIES = [
    "basic",
    "plan",
    "meeting",
    "social",
    "school",
    "crime",
    "family",
    "work",
    "housing",
    "leisure",
]


def record_consent(
    case: Case,
    lead: User,
    access: CaseAccess,
    *,
    giver: str,
    guardianship: Any,
    start: date,
    end: date,
    orgs: list[Organisation],
    categories: list[str],
) -> Any:
    return consent_record(
        actor=lead,
        case=case,
        access=access,
        giver=giver,
        guardianship=guardianship,
        given_on=start,
        valid_from=start,
        valid_to=end,
        organisations=orgs,
        categories=categories,
        document=None,
    )


def record_consents(loader: Loader, case: Case, spec: Spec, lead: User, access: CaseAccess) -> None:
    if spec.consent == "missing":
        return
    orgs = [
        case.lead_organisation,
        loader.orgs["lpo-rinkeby"],
        loader.orgs["sthlm-utbildningsforvaltningen"]
        if spec.kind == "young"
        else loader.orgs["frivarden-stockholm"],
    ]
    categories = list(CONSENT_CATEGORIES)
    if spec.consent == "partial":  # scope excludes the police and crime information
        orgs = orgs[:1] + orgs[2:]
        categories = [c for c in categories if c != "crime"]
    if spec.consent == "expired":
        start = loader.today - timedelta(days=min(spec.received_days_ago - 5, 360))
        end = loader.today - timedelta(days=10)
    elif spec.consent == "lapsed_at_18":
        start, end = loader.today - timedelta(days=240), loader.today + timedelta(days=120)
    else:
        start = max(
            loader.today - timedelta(days=loader.rng.randint(20, 200)),
            loader.today - timedelta(days=spec.received_days_ago - 10),
        )
        end = start + timedelta(days=360)
    age_at_start = (start - case.person.birth_date).days // 365
    recorded = []
    if age_at_start < 18:
        for guardianship in Guardianship.objects.filter(
            child=case.person, active=True
        ).order_by("pk"):
            recorded.append(
                record_consent(
                    case,
                    lead,
                    access,
                    giver="guardian",
                    guardianship=guardianship,
                    start=start,
                    end=end,
                    orgs=orgs,
                    categories=categories,
                )
            )
        if age_at_start >= case.programme.own_consent_from_age:
            recorded.append(
                record_consent(
                    case,
                    lead,
                    access,
                    giver="young_person",
                    guardianship=None,
                    start=start,
                    end=end,
                    orgs=orgs,
                    categories=categories,
                )
            )
    else:
        recorded.append(
            record_consent(
                case,
                lead,
                access,
                giver="person",
                guardianship=None,
                start=start,
                end=end,
                orgs=orgs,
                categories=categories,
            )
        )
    if spec.consent == "withdrawn" and recorded:
        consent_withdraw(
            actor=lead,
            case=case,
            access=loader.access(lead, case),
            consent=recorded[0],
            note="Återkallat muntligt vid möte.",
        )


def record_disclosure(loader: Loader, case: Case, lead: User) -> None:
    basis = LegalBasis.objects.filter(code="osl-10-18a", active=True).first()
    if basis is None:
        return
    disclosure_record(
        actor=lead,
        case=case,
        access=loader.access(lead, case),
        basis=basis,
        to_organisation=loader.orgs["lpo-rinkeby"],
        categories=["social"],
        description="Uppgifter om risk för fortsatt brottslig verksamhet.",
        balancing_test="Risken för allvarlig brottslighet väger tyngre än men "
        "för den enskilde; "
        "utlämnandet skadar inte pågående insatser.",
    )
