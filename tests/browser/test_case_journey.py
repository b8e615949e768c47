"""The individual track in a real browser, as the demo personas work: intake → decision
→ team → consent (with the signed form uploaded as a PDF) → plan (goal and commitment)
→ meeting with minutes → journal notes (the lead and the police) → closure, with axe
(WCAG 2.1 AA) on every page visited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from samverkan.cases import reference as programmes
from samverkan.cases.models import Case, Closure
from samverkan.consent import reference as legal_bases
from samverkan.consent.models import Consent
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.journal.models import JournalNote
from samverkan.lib.identity_numbers import make_fictitious
from samverkan.meetings.models import Meeting, Minutes
from samverkan.plans.models import Commitment, Goal
from tests.browser.conftest import assert_accessible, login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A one-page PDF: the signed consent form (only its magic bytes and size are checked).
SIGNED_FORM = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _staff():
    reference_data_load()
    programmes.load()
    legal_bases.load()
    org = Organisation.objects.get
    return {
        "jarva.samordnare": UserFactory(username="jarva.samordnare", organisation=org(short_code="sdf-jarva"),
                                        roles=["coordinator"], first_name="Sanna", last_name="Samordnare"),
        "jarva.handlaggare": UserFactory(username="jarva.handlaggare", organisation=org(short_code="sdf-jarva"),
                                         roles=["caseworker"], first_name="Hanna", last_name="Handläggare"),
        "polis.rinkeby": UserFactory(username="polis.rinkeby", organisation=org(short_code="lpo-rinkeby"),
                                     roles=["caseworker"], first_name="Per", last_name="Polis"),
        "skola": UserFactory(username="skola", organisation=org(short_code="sthlm-utbildningsforvaltningen"),
                             roles=["caseworker"], first_name="Sara", last_name="Skolkurator"),
        "frivarden": UserFactory(username="frivarden", organisation=org(short_code="frivarden-stockholm"),
                                 roles=["caseworker"], first_name="Frida", last_name="Frivård"),
    }


def _submit(page, url_glob: str) -> None:
    """Submit the page's main form (the one posting to the page itself)."""
    page.click("main form[method=post]:not([action]) button[type=submit] >> nth=0")
    page.wait_for_url(url_glob)


def _confirm(page, url_glob: str) -> None:
    """Answer the confirmation page of an irreversible step (checked with axe too) with
    its "Yes, …" button."""
    yes = page.locator("main form:has(input[name=confirmed]) button[type=submit] >> nth=0")
    yes.wait_for()
    assert_accessible(page)
    yes.click()
    page.wait_for_url(url_glob)
    assert_accessible(page)


def test_intake_to_closure(live_server, page_factory, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    staff = _staff()
    base = live_server.url
    today = timezone.localdate()
    birth = today.replace(year=today.year - 20) - timedelta(days=30)
    identity = make_fictitious(birth, 271)
    page = page_factory()
    login(page, base, staff["jarva.samordnare"])
    assert_accessible(page)  # the home page

    # 1. Intake (aktualisering) and the decision to accept.
    page.goto(f"{base}/arenden/")
    assert_accessible(page)
    page.goto(f"{base}/arenden/ny/")
    assert_accessible(page)
    page.select_option("#id_programme", label="SIG unga vuxna – Järva")
    page.fill("#id_identity", identity)
    page.fill("#id_first_name", "Kim")
    page.fill("#id_last_name", "Testdeltagare")
    page.select_option("#id_intake_source", "police")
    page.select_option("#id_referred_by", label="Lokalpolisområde Rinkeby")
    page.fill("#id_received_on", today.isoformat())
    page.fill("#id_intake_summary", "Orosanmälan från polisen efter gripande.")
    _submit(page, "**/arenden/*-*-*-*-*/")
    case = Case.objects.get()
    case_url = f"{base}/arenden/{case.public_id}/"
    page.check("#decision-accept")
    page.fill("#decision-reason", "Uppfyller kriterierna för SIG unga vuxna.")
    page.click("form[action$='/beslut/'] button[type=submit]")
    _confirm(page, case_url)
    assert_accessible(page)
    case.refresh_from_db()
    assert case.status == "active"

    # 2. The team: the lead's caseworker, the police, the school and probation.
    page.goto(case_url + "team/")
    assert_accessible(page)
    # The picker's search by name is posted: the name stays out of the address.
    page.fill("#id_q", staff["polis.rinkeby"].last_name)
    with page.expect_navigation():
        page.click("form[role=search] button[type=submit]")
    assert page.url == case_url + "team/"
    assert page.locator(f"#id_user option[value='{staff['polis.rinkeby'].pk}']").count() == 1
    assert_accessible(page)
    for username in ("polis.rinkeby", "jarva.handlaggare", "skola", "frivarden"):
        page.select_option("#id_user", str(staff[username].pk))
        page.check("input[name=team_role][value=caseworker]")
        _submit(page, case_url + "team/")
    assert case.team.filter(active=True).count() == 5

    # 3. The participant's own consent with the signed form as a PDF.
    page.goto(case_url + "samtycken/")
    assert_accessible(page)
    page.goto(case_url + "samtycken/nytt/")
    assert_accessible(page)
    page.select_option("#id_giver", "person")
    page.fill("#id_given_on", today.isoformat())
    page.fill("#id_valid_from", today.isoformat())
    page.fill("#id_valid_to", (today + timedelta(days=180)).isoformat())
    for box in page.locator("input[name=organisations]").all():
        box.check()
    for box in page.locator("input[name=categories]").all():
        box.check()
    page.set_input_files("#id_document", files=[{"name": "samtycke.pdf", "mimeType": "application/pdf",
                                                  "buffer": SIGNED_FORM}])
    _submit(page, case_url + "samtycken/")
    consent = Consent.objects.get()
    assert consent.document and consent.document_sha256
    assert consent.organisations.count() == 4

    # 4. The plan: a goal and a commitment by the police.
    page.goto(case_url + "plan/")
    assert_accessible(page)
    page.goto(case_url + "plan/mal/ny/")
    assert_accessible(page)
    page.select_option("#id_life_area", "work")
    page.fill("#id_title", "Få en praktikplats till hösten")
    page.fill("#id_description", "Praktikavtal undertecknat.")
    _submit(page, case_url + "plan/")
    goal = Goal.objects.get()
    page.goto(case_url + "plan/ataganden/ny/")
    assert_accessible(page)
    page.select_option("#id_goal", str(goal.pk))
    page.fill("#id_description", "Ordna möte med arbetsförmedlingen.")
    member = case.team.get(user=staff["jarva.handlaggare"], active=True)
    page.select_option("#id_responsible", str(member.pk))
    page.fill("#id_due_on", (today + timedelta(days=14)).isoformat())
    _submit(page, case_url + "plan/")
    assert Commitment.objects.get().goal_id == goal.pk

    # 5. A follow-up meeting, held yesterday, with signed minutes.
    page.goto(case_url + "moten/")
    assert_accessible(page)
    page.goto(case_url + "moten/nytt/")
    assert_accessible(page)
    page.fill("#id_starts_at", (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT10:00"))
    page.fill("#id_place", "Rinkeby stadsdelsförvaltning")
    page.fill("#id_agenda", "1. Läget\n2. Planen")
    _submit(page, case_url + "moten/*-*-*-*-*/")
    meeting = Meeting.objects.get()
    meeting_url = case_url + f"moten/{meeting.public_id}/"
    page.goto(meeting_url + "protokoll/nytt/")
    assert_accessible(page)
    page.fill("#id_text", "Deltagaren berättade om läget. Praktik diskuterades.")
    page.check("#id_sign")
    page.click("main form[method=post]:not([action]) button[type=submit] >> nth=0")
    _confirm(page, meeting_url)
    assert Minutes.objects.get().signed_at is not None

    # 6. Journal notes: the lead, then the police (who sees the lead's note under the consent).
    page.goto(case_url + "anteckningar/ny/")
    assert_accessible(page)
    page.select_option("#id_category", "social")
    page.fill("#id_text", "Hembesök. Deltagaren mår bättre.")
    page.click("button[name=action][value=sign]")
    _confirm(page, case_url + "anteckningar/")
    assert_accessible(page)
    police = page_factory()
    login(police, base, staff["polis.rinkeby"])
    police.goto(case_url + "anteckningar/ny/")
    assert_accessible(police)
    police.select_option("#id_category", "crime")
    police.fill("#id_text", "Inga nya händelser i belastningsregistret.")
    police.click("button[name=action][value=sign]")
    _confirm(police, case_url + "anteckningar/")
    assert_accessible(police)
    assert "Hembesök. Deltagaren mår bättre." in police.content()
    police.goto(case_url)
    assert_accessible(police)
    assert JournalNote.objects.filter(signed_at__isnull=False).count() == 2

    # 7. Closure with an outcome; follow-ups are planned at 6 and 12 months.
    page.goto(case_url + "avslut/")
    assert_accessible(page)
    page.select_option("#id_outcome", "plan_completed")
    page.fill("#id_note", "Planen är genomförd; deltagaren har praktikplats.")
    page.click("form[action$='/avslut/stang/'] button[type=submit]")
    _confirm(page, case_url + "avslut/")
    assert_accessible(page)
    case.refresh_from_db()
    assert case.status == "closed" and Closure.objects.filter(case=case).exists()
    assert case.follow_ups.count() == 2
