"""The participant's plan says who sends it and how to reach them: the case's lead
coordinator and their organisation, with the organisation's letterhead and contact
details (directory.Identity)."""

from __future__ import annotations

from samverkan.cases.models import TeamMember, TeamRole
from samverkan.demo.identity import DEMO_NAME, load_identity
from samverkan.plans.pdf import plan_pdf
from tests.documents import pdf_text, squash


def test_the_plan_names_its_sender_and_the_contact_details(world):
    load_identity()
    lead = TeamMember.objects.get(case=world.case, active=True, team_role=TeamRole.LEAD_COORDINATOR)
    # Printed by someone else on the team: the sender is still the lead coordinator.
    printer = world.users["police"]
    assert printer != lead.user
    text = pdf_text(plan_pdf(actor=printer, case=world.case, access=world.access(printer)))
    assert "Who sends you the plan" in text or "skickar" in text
    assert squash(f"{lead.user.get_full_name()}, {lead.organisation.name}") in squash(text)
    for contact in ("08-465 004 00", "kontakt@exempelstad.invalid", "Box 100, 123 45 Exempelstad"):
        assert contact in text, contact
    assert DEMO_NAME in text  # the letterhead


def test_without_an_identity_the_plan_still_names_its_sender(world):
    lead = TeamMember.objects.get(case=world.case, active=True, team_role=TeamRole.LEAD_COORDINATOR)
    text = pdf_text(plan_pdf(actor=world.lead, case=world.case, access=world.access(world.lead)))
    assert squash(lead.user.get_full_name()) in squash(text)
    assert "You can reach us here" not in text and "exempelstad" not in text.lower()
