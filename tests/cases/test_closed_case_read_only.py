"""A closed case no longer takes notes or consents (only follow-ups and legal hold)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases import reference as programmes
from samverkan.cases import services as cases
from samverkan.cases.models import Programme
from samverkan.consent import services as consent
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.journal import services as journal
from samverkan.lib.identity_numbers import make_fictitious, parse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_case():
    reference_data_load()
    programmes.load()
    jarva = Organisation.objects.get(short_code="sdf-jarva")
    lead = UserFactory(organisation=jarva, roles=["coordinator"])
    today = timezone.localdate()
    identity = parse(make_fictitious(today.replace(year=today.year - 20), 456))
    case = cases.case_intake(
        actor=lead, programme=Programme.objects.get(code="sig-unga-vuxna-jarva"), identity=identity,
        first_name="Demo", last_name="Deltagare", intake_source="own_application", received_on=today,
        is_fictitious=True,
    )
    access = case_access_for(actor=lead, case=case)
    cases.case_decide(actor=lead, case=case, access=access, accepted=True, reason="")
    case.refresh_from_db()
    cases.case_close(actor=lead, case=case, access=access, outcome="plan_completed", note="Klart.")
    case.refresh_from_db()
    return lead, case, case_access_for(actor=lead, case=case)


def test_closed_case_refuses_new_notes(closed_case):
    lead, case, access = closed_case
    with pytest.raises(ValidationError) as exc:
        journal.note_create(actor=lead, case=case, access=access, category="social",
                            occurred_on=timezone.localdate(), text="Efter avslut", sign=True)
    assert exc.value.code == "closed"


def test_closed_case_refuses_new_consent(closed_case):
    lead, case, access = closed_case
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        consent.consent_record(actor=lead, case=case, access=access, giver="person", guardianship=None,
                               given_on=today, valid_from=today, valid_to=today, organisations=[lead.organisation],
                               categories=["basic"], document=None)
