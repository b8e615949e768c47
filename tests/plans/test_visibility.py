"""Another organisation's plan entries cross only under a valid consent covering the
category (and both organisations), or a statutory disclosure — in the live plan, in
established versions, in the printable plan and in the reminder selector."""

import io
import json
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from samverkan.audit.models import AuditEvent
from samverkan.consent.models import Consent
from samverkan.plans import selectors, services
from samverkan.plans.pdf import plan_pdf
from tests.documents import pdf_text
from tests.world import adult_world, disclose, expire, give_consent, withdraw

pytestmark = pytest.mark.django_db

SECRET = "HEMLIGMARKOR"  # appears only in the police's entries


def _setup(world):
    """A lead goal and commitment, and a police goal and commitment (with the marker)."""
    a = world.access(world.lead)
    lead_goal = services.goal_create(
        actor=world.lead, case=world.case, access=a, life_area="school", title="Synligtmal skola"
    )
    services.commitment_create(
        actor=world.lead,
        case=world.case,
        access=a,
        description="Synligtatagande mentor",
        responsible=world.lead,
        due_on=timezone.localdate() + timedelta(days=3),
        goal=lead_goal,
    )
    p = world.access(world.users["police"])
    police_goal = services.goal_create(
        actor=world.users["police"],
        case=world.case,
        access=p,
        life_area="leaving_network",
        title=f"{SECRET} mal",
    )
    services.commitment_create(
        actor=world.users["police"],
        case=world.case,
        access=p,
        description=f"{SECRET} atagande",
        responsible=world.users["police"],
        due_on=timezone.localdate() + timedelta(days=2),
        goal=police_goal,
    )
    return lead_goal, police_goal


def _lead_sees_police(world) -> bool:
    access = world.access(world.lead)
    titles = [g.title for g in selectors.goals_visible(case=world.case, access=access)]
    commitments = [
        c.description for c in selectors.commitments_visible(case=world.case, access=access)
    ]
    seen = any(SECRET in t for t in titles)
    assert seen == any(SECRET in d for d in commitments)
    return seen


def test_no_consent_hides_other_organisations_entries(world):
    _setup(world)
    assert not _lead_sees_police(world)


def test_valid_consent_covering_the_category_shares(world):
    _setup(world)
    give_consent(world)
    assert _lead_sees_police(world)


def test_consent_scope_must_cover_both_organisations_and_the_category(world):
    _setup(world)
    consent = give_consent(world, organisations=[world.orgs["jarva"], world.orgs["school"]])  # police not covered
    assert not _lead_sees_police(world)
    withdraw(world, consent)
    give_consent(world, categories=["meeting", "school"])  # "plan" not covered
    assert not _lead_sees_police(world)


def test_withdrawal_takes_effect_on_the_next_read(world):
    _setup(world)
    consent = give_consent(world)
    assert _lead_sees_police(world)
    withdraw(world, consent)
    assert not _lead_sees_police(world)


def test_expired_consent_shares_nothing(world):
    _setup(world)
    consent = give_consent(world)
    expire(consent)
    assert not _lead_sees_police(world)


def test_guardian_consent_lapses_at_18(db):
    world = adult_world(age_years=18)
    from samverkan.consent import services as consent_services
    from samverkan.lib.identity_numbers import make_fictitious, parse
    from samverkan.people.services import guardian_add

    today = timezone.localdate()
    guardianship = guardian_add(
        actor=world.lead,
        child=world.case.person,
        identity=parse(make_fictitious(today.replace(year=today.year - 45), 555)),
        first_name="Vårdnads",
        last_name="Havare",
        is_fictitious=True,
    )
    birthday18 = world.case.person.birth_date.replace(year=world.case.person.birth_date.year + 18)
    consent_services.consent_record(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        giver="guardian",
        guardianship=guardianship,
        given_on=birthday18 - timedelta(days=20),
        valid_from=birthday18 - timedelta(days=20),
        valid_to=birthday18 + timedelta(days=200),
        organisations=world.team_orgs(),
        categories=["plan", "meeting"],
        document=None,
    )
    _setup(world)
    assert world.access(world.lead).consent_active is False
    assert not _lead_sees_police(world)


def test_disclosure_opens_only_what_was_last_changed_before_it(world):
    lead_goal, _police_goal = _setup(world)
    police = world.access(world.users["police"])
    assert "Synligtmal skola" not in {
        g.title for g in selectors.goals_visible(case=world.case, access=police)
    }
    disclose(world, to=world.orgs["police"], categories=["plan"])
    police = world.access(world.users["police"])
    assert "Synligtmal skola" in {
        g.title for g in selectors.goals_visible(case=world.case, access=police)
    }
    # Changed after the disclosure: no longer covered by it.
    services.goal_update(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        goal=lead_goal,
        expected_version=lead_goal.version,
        life_area="school",
        title="Nytt efter utlämnandet",
        description="",
        status="ongoing",
        category="plan",
    )
    police = world.access(world.users["police"])
    titles = {g.title for g in selectors.goals_visible(case=world.case, access=police)}
    assert "Nytt efter utlämnandet" not in titles and "Synligtmal skola" not in titles
    # The disclosure went to the police only.
    school = world.access(world.users["school"])
    assert not list(selectors.goals_visible(case=world.case, access=school))


def test_established_version_is_filtered_per_viewer(world):
    _setup(world)
    plan = selectors.plan_for_case(case=world.case)
    services.plan_establish(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        expected_revision=plan.revision,
    )
    view = selectors.plan_version_for_actor(
        actor=world.lead, case=world.case, access=world.access(world.lead), number=1
    )
    assert [g.title for g in view.goals] == ["Synligtmal skola"]
    assert view.hidden == 2
    assert SECRET not in repr(view)
    consent = give_consent(world)
    view = selectors.snapshot_view(version=view.version, access=world.access(world.lead))
    assert view.hidden == 0 and any(SECRET in g.title for g in view.goals)
    withdraw(world, consent)
    view = selectors.snapshot_view(version=view.version, access=world.access(world.lead))
    assert view.hidden == 2


def test_commitments_due_for_an_actor_and_a_case(world):
    _setup(world)
    far = services.commitment_create(
        actor=world.lead,
        case=world.case,
        access=world.access(world.lead),
        description="Långt fram",
        responsible=world.lead,
        due_on=timezone.localdate() + timedelta(days=60),
    )
    rows = selectors.commitments_due(actor=world.lead, within_days=14)
    assert [r.commitment.description for r in rows] == ["Synligtatagande mentor"]
    assert rows[0].case.pk == world.case.pk
    assert far.pk not in {
        r.commitment.pk for r in selectors.commitments_due(actor=world.lead, within_days=14)
    }
    assert far.pk in {
        r.commitment.pk for r in selectors.commitments_due(actor=world.lead, within_days=90)
    }
    # The police see their own; with consent the lead sees theirs too, soonest first.
    assert [
        r.commitment.description for r in selectors.commitments_due(actor=world.users["police"])
    ] == [f"{SECRET} atagande"]
    give_consent(world)
    rows = selectors.commitments_due(
        case=world.case, access=world.access(world.lead), within_days=14
    )
    assert [r.commitment.description for r in rows] == [
        f"{SECRET} atagande",
        "Synligtatagande mentor",
    ]
    mine = selectors.commitments_due(actor=world.users["police"], responsible_only=True, within_days=14)
    assert [r.commitment.description for r in mine] == [f"{SECRET} atagande"]
    # Outsiders get nothing, and done commitments are not due.
    assert selectors.commitments_due(actor=world.users["tax"]) == []
    assert selectors.commitments_due(actor=world.users["jarva_outsider"]) == []


def test_printable_plan_selector_and_pdf_exclude_hidden_entries(world):
    _setup(world)
    printable = selectors.plan_for_print(case=world.case, access=world.access(world.lead))
    assert [g.title for g in printable.goals] == ["Synligtmal skola"]
    assert SECRET not in repr(printable)
    pdf = plan_pdf(actor=world.lead, case=world.case, access=world.access(world.lead))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Synligtmal skola" in text and "Synligtatagande mentor" in text  # the test can fail
    assert SECRET not in text
    assert "Testperson" in text  # the lead may see the name
    event = AuditEvent.objects.filter(action="plan.pdf_generated").latest("seq")
    assert json.loads(event.detail) == {"goals": 1, "commitments": 1, "name_shown": True}
    # The police without consent: only their own entries, and no name.
    police_text = pdf_text(
        plan_pdf(actor=world.users["police"], case=world.case, access=world.access(world.users["police"]))
    )
    assert SECRET in police_text
    assert "Synligtmal" not in police_text and "Testperson" not in police_text


def test_pdf_is_compressed_and_keeps_the_name_out_of_its_metadata(world):
    _setup(world)
    pdf = plan_pdf(actor=world.lead, case=world.case, access=world.access(world.lead))
    assert pdf.startswith(b"%PDF") and b"Synligtmal" not in pdf
    assert "Synligtmal" in pdf_text(pdf)
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert "Testperson" not in str(dict(info)) and info.title


def test_consent_rows_untouched_by_plan_reads(world):
    _setup(world)
    give_consent(world)
    selectors.plan_page(actor=world.lead, case=world.case, access=world.access(world.lead))
    assert Consent.objects.count() == 1
