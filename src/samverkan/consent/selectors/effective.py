"""The effective consent of cases, evaluated afresh on every request."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from samverkan.consent.models import Consent
from samverkan.consent.rules import ConsentFact, ConsentRules, EffectiveConsent, effective_consent
from samverkan.people.models import Guardianship


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
