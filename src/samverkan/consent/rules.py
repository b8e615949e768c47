"""Which consents are needed and what they jointly allow (pure logic, no queries).

Practice in SIG/SSPF (legal-facts.md; OSL 12 kap. 3 §): under 18 every guardian with
custody must consent (joint custody: both), and from the programme's age (default 15) the
young person's own consent is recorded too. From the 18th birthday the guardians' consent
lapses and only the person's own consent, given as an adult, counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from samverkan.lib.dates import age_on


def eighteenth_birthday(birth: date) -> date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # born 29 February
        return date(birth.year + 18, 3, 1)


@dataclass(frozen=True)
class ConsentFact:
    """One recorded consent as the rules see it."""

    id: int
    giver: str  # person | young_person | guardian
    guardianship_id: int | None
    given_on: date
    valid_from: date
    valid_to: date
    withdrawn: bool
    organisation_ids: frozenset[int]
    categories: frozenset[str]

    def valid_on(self, day: date) -> bool:
        return not self.withdrawn and self.valid_from <= day <= self.valid_to


@dataclass(frozen=True)
class EffectiveConsent:
    active: bool
    organisation_ids: frozenset[int] = frozenset()
    categories: frozenset[str] = frozenset()
    missing: tuple[str, ...] = ()  # what is needed, in words, for the case page
    consent_ids: tuple[int, ...] = ()
    lapsed_at_18: bool = False


@dataclass(frozen=True)
class ConsentRules:
    own_consent_from_age: int = 15
    guardian_consent_until_age: int = 18
    guardianship_ids: tuple[int, ...] = field(default_factory=tuple)


def effective_consent(
    *, birth_date: date, consents: list[ConsentFact], rules: ConsentRules, today: date
) -> EffectiveConsent:
    """The organisations and categories that all required, currently valid consents
    cover (their intersection), or inactive with the reasons why."""
    age = age_on(birth_date, today)
    valid = [c for c in consents if c.valid_on(today)]
    required: list[ConsentFact] = []
    missing: list[str] = []
    lapsed = False
    if age < rules.guardian_consent_until_age:
        for gid in rules.guardianship_ids:
            mine = [c for c in valid if c.giver == "guardian" and c.guardianship_id == gid]
            if mine:
                required.append(max(mine, key=lambda c: c.given_on))
            else:
                missing.append(_("consent from every guardian with custody"))
                break
        if not rules.guardianship_ids:
            missing.append(_("a guardian must be registered for a person under 18"))
        if age >= rules.own_consent_from_age:
            own = [c for c in valid if c.giver in ("young_person", "person")]
            if own:
                required.append(max(own, key=lambda c: c.given_on))
            else:
                missing.append(_("the young person's own consent"))
    else:
        adult_from = eighteenth_birthday(birth_date)
        own = [
            c for c in valid if c.giver in ("person", "young_person") and c.given_on >= adult_from
        ]
        if own:
            required.append(max(own, key=lambda c: c.given_on))
        else:
            missing.append(_("the person's own consent, given as an adult"))
            lapsed = any(c.giver == "guardian" for c in consents if not c.withdrawn)
    if missing or not required:
        return EffectiveConsent(active=False, missing=tuple(missing), lapsed_at_18=lapsed)
    organisations = frozenset.intersection(*(c.organisation_ids for c in required))
    categories = frozenset.intersection(*(c.categories for c in required))
    return EffectiveConsent(
        active=True,
        organisation_ids=organisations,
        categories=categories,
        consent_ids=tuple(c.id for c in required),
    )
