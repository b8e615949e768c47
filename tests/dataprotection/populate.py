"""Fill a case with one of everything the purge and the export must find."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samverkan.caseaccess.selectors import case_access_for
from samverkan.cases import services as case_services
from samverkan.cases.models import Case, EmergencyAccess
from samverkan.consent.models import Consent, Disclosure, LegalBasis
from samverkan.journal.services import note_create
from samverkan.lib.identity_numbers import make_fictitious, parse
from samverkan.meetings.models import Attendee, Decision, DecisionCommitment, Meeting, Minutes
from samverkan.people.services import guardian_add
from samverkan.plans.models import Commitment, Goal, PlanVersion
from samverkan.plans.services import plan_get_or_create
from samverkan.reminders.models import Reminder

LEAD_NOTE = "Anteckning från socialtjänsten om Zlatana"
POLICE_NOTE = "Polisens anteckning om Zlatana"


def fill(case: Case, *, lead: Any, police: Any, serial: int = 1) -> dict[str, Any]:
    today = timezone.localdate()
    lead_access = case_access_for(actor=lead, case=case)
    police_access = case_access_for(actor=police, case=case)
    guardianship = guardian_add(actor=lead, child=case.person,
                                identity=parse(make_fictitious(date(1979, 5, 5), 300 + serial)),
                                first_name="Greta", last_name=f"Vårdnadshavare{serial}", is_fictitious=True)
    first = note_create(actor=lead, case=case, access=lead_access, category="social", occurred_on=today,
                        text=LEAD_NOTE, sign=True)
    note_create(actor=lead, case=case, access=lead_access, category="social", occurred_on=today,
                text=LEAD_NOTE + " (rättelse)", sign=True, corrects=first)
    note_create(actor=police, case=case, access=police_access, category="crime", occurred_on=today,
                text=POLICE_NOTE, sign=True)
    consent = Consent.objects.create(case=case, giver="guardian", guardianship=guardianship,
                                     given_on=today, valid_from=today, valid_to=today + timedelta(days=300),
                                     categories=["basic"], recorded_by=lead)
    consent.organisations.set([lead.organisation, police.organisation])
    consent.document.save("underskrift.pdf", SimpleUploadedFile("underskrift.pdf", b"%PDF-1.4\n%%EOF\n"))
    basis = LegalBasis.objects.create(code=f"test-basis-{serial}", title="Test", reference="OSL test")
    Disclosure.objects.create(case=case, basis=basis, from_organisation=police.organisation,
                              to_organisation=lead.organisation, categories=["crime"], description="Uppgift",
                              balancing_test="Avvägning", decided_by=police, decided_at=timezone.now())
    plan = plan_get_or_create(case=case)
    goal = Goal.objects.create(plan=plan, case=case, life_area="school", title="Klara skolan",
                               recorded_by_organisation=lead.organisation, created_by=lead)
    commitment = Commitment.objects.create(plan=plan, case=case, goal=goal, description="Läxhjälp",
                                           organisation=lead.organisation, responsible=lead, due_on=today,
                                           recorded_by_organisation=lead.organisation, created_by=lead)
    PlanVersion.objects.create(plan=plan, number=1, established_at=timezone.now(), established_by=lead,
                               established_by_organisation=lead.organisation, snapshot={"goals": []})
    meeting = Meeting.objects.create(case=case, starts_at=timezone.now(), place="Kontoret",
                                     recorded_by_organisation=lead.organisation, created_by=lead)
    Attendee.objects.create(meeting=meeting, user=police, organisation=police.organisation)
    minutes = Minutes.objects.create(meeting=meeting, case=case, recorded_by_organisation=lead.organisation,
                                     author=lead, text="Protokoll", signed_at=timezone.now())
    correction = Minutes.objects.create(meeting=meeting, case=case, recorded_by_organisation=lead.organisation,
                                        author=lead, text="Rättat protokoll", corrects=minutes)
    decision = Decision.objects.create(minutes=correction, case=case, text="Beslut")
    DecisionCommitment.objects.create(decision=decision, commitment=commitment)
    Reminder.objects.create(user=lead, case=case, kind="custom", note="Ring", due_on=today,
                            recorded_by_organisation=lead.organisation)
    EmergencyAccess.objects.create(case=case, user=lead, reason="x" * 25, expires_at=timezone.now())
    case_services.case_close(actor=lead, case=case, access=lead_access, outcome="plan_completed", note="Klart")
    case.refresh_from_db()
    return {"guardian": guardianship.guardian, "document": consent.document.name}
