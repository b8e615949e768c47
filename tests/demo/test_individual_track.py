"""The individual-track demo: plausible, fictitious, idempotent."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.utils import timezone

from samverkan.cases.models import Case, CaseStatus, Closure, TeamMember
from samverkan.consent.models import Consent, Disclosure
from samverkan.demo import individual_track
from samverkan.demo.services import demo_load
from samverkan.journal.models import JournalNote
from samverkan.people.models import Guardianship, Person

pytestmark = pytest.mark.django_db


def _counts():
    from samverkan.logreview.models import AccessReviewItem
    from samverkan.meetings.models import Meeting
    from samverkan.plans.models import Commitment

    return {
        "persons": Person.objects.count(),
        "cases": Case.objects.count(),
        "team": TeamMember.objects.count(),
        "consents": Consent.objects.count(),
        "disclosures": Disclosure.objects.count(),
        "notes": JournalNote.objects.count(),
        "guardianships": Guardianship.objects.count(),
        "commitments": Commitment.objects.count(),
        "meetings": Meeting.objects.count(),
        "closures": Closure.objects.count(),
        "review_items": AccessReviewItem.objects.count(),
    }


def test_demo_is_fictitious_plausible_idempotent_and_fills_the_pages(client):
    from django.test import Client

    from samverkan.accounts.models import User
    from tests.conftest import login_client

    rows = demo_load()
    first = _counts()
    assert any(r["username"] == "skarholmen.chef" for r in rows)
    assert 40 <= first["cases"] <= 80
    assert not Person.objects.filter(is_fictitious=False).exists()
    statuses = dict(Case.objects.values_list("status").annotate(n=Count("pk")).order_by())
    assert set(statuses) == set(CaseStatus.values)
    assert set(Closure.objects.values_list("outcome", flat=True)) >= {
        "plan_completed",
        "new_crime_or_custody",
        "moved",
    }
    assert Guardianship.objects.exists() and first["disclosures"] >= 2
    assert Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert JournalNote.objects.values("recorded_by_organisation").distinct().count() >= 4
    assert Person.objects.filter(protected_identity=True).exists()
    assert first["commitments"] > 100 and first["meetings"] > 10 and first["review_items"] > 0
    # The lead coordinator persona has a full "my cases" page.
    assert TeamMember.objects.filter(user__username="jarva.samordnare", active=True).count() >= 30

    # Running it again creates nothing new (keyed on the fixed identity numbers).
    individual_track.load_individual_track()
    assert _counts() == first

    login_client(
        client, User.objects.get(username="jarva.samordnare"), password="demo-samverkan-2026"
    )
    page = client.get("/arenden/")
    assert page.status_code == 200
    assert page.content.decode().count('href="/arenden/') >= 20

    manager = login_client(
        Client(), User.objects.get(username="jarva.chef"), password="demo-samverkan-2026"
    )
    body = manager.get("/statistik/").content.decode()
    assert "&lt;5" in body  # some cells suppressed
    import re

    shown = [int(n) for n in re.findall(r'govuk-table__cell--numeric">(\d+)<', body)]
    assert any(n >= 5 for n in shown)

    reviewer = login_client(Client(), User.objects.get(username="jarva.logg"), password="demo-samverkan-2026")
    index = reviewer.get("/loggranskning/")
    assert index.status_code == 200
    month = timezone.localdate().strftime("%Y-") + str(timezone.localdate().month)
    review = reviewer.get(f"/loggranskning/{month}/").content.decode()
    assert "Emergency access" in review or "Nödåtkomst" in review or "break-the-glass" in review


    # Every persona the demo's login page lists signs in with the demo password and has an
    # authenticator (the browser crawl opens the personas' pages with sessions of theirs,
    # not through the login pages).
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from samverkan.demo.localpicture import LOCAL_PICTURE_PERSONAS
    from samverkan.demo.personas import DEMO_PASSWORD, PERSONAS
    from samverkan.demo.trefas.staff import TREFAS_PERSONAS

    for persona in [*PERSONAS, *TREFAS_PERSONAS, *LOCAL_PICTURE_PERSONAS]:
        user = User.objects.get(username=persona.username)
        assert user.is_active and user.is_demo, persona.username
        assert user.check_password(DEMO_PASSWORD), persona.username
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists(), persona.username
