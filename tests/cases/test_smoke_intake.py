import pytest
from django.utils import timezone

from samverkan.cases import reference as programmes
from samverkan.cases.models import Case
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.lib.identity_numbers import make_fictitious
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_intake_then_detail(logged_in):
    reference_data_load()
    programmes.load()
    jarva = Organisation.objects.get(short_code="sdf-jarva")
    user = UserFactory(organisation=jarva, roles=["coordinator"])
    client = logged_in(user)
    today = timezone.localdate()
    pnr = make_fictitious(today.replace(year=today.year - 15), 123)
    response = client.post("/arenden/ny/", {
        "programme": client.get("/arenden/ny/").context["form"].fields["programme"].queryset.first().pk,
        "identity": pnr, "first_name": "Test", "last_name": "Testsson", "intake_source": "police",
        "received_on": today.isoformat(), "intake_summary": "x",
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    page = client.get(f"/arenden/{case.public_id}/")
    assert page.status_code == 200
    assert b"Testsson" in page.content
