"""The report text check (picture.text): identity numbers are refused,
likely names need the reporter's confirmation. Unit tests of the check and the form's
behaviour around it."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from samverkan.lib.identity_numbers import make_fictitious
from samverkan.picture.models import IncidentReport
from samverkan.picture.text import check_text, has_identity_number, likely_names
from tests.picture.reporting import form_data
from tests.picture.world import build_local_world

REPORT = reverse("picture:report")

# A valid fictitious personnummer and samordningsnummer (right check digits).
PNR12 = make_fictitious(date(1985, 7, 9), 980)
SAMORD12 = make_fictitious(date(1990, 3, 4), 123, coordination=True)


def _variants(twelve: str) -> list[str]:
    ten = twelve[2:]
    return [twelve, f"{twelve[:8]}-{twelve[8:]}", ten, f"{ten[:6]}-{ten[6:]}", f"{ten[:6]} {ten[6:]}"]


@pytest.mark.parametrize("number", _variants(PNR12) + _variants(SAMORD12))
def test_identity_numbers_in_every_form_are_found(number):
    assert has_identity_number(f"Killen med nummer {number} stod där.")
    assert has_identity_number(f"({number})")
    assert has_identity_number(number)


def test_a_mistyped_identity_number_is_still_refused():
    wrong = PNR12[:-1] + str((int(PNR12[-1]) + 1) % 10)
    assert has_identity_number(f"nr {wrong}")


@pytest.mark.parametrize("text", [
    "Lampan vid busshållplats 1234 är trasig sedan 2026-12-01.",
    "Ring 08-508 000 00 om det händer igen.",
    "Ärende 2026-0042, tre bilar.",
    "Mellan 22 och 23, ca 15 personer.",
    "Kod 12345678901234 på skylten",  # 14 digits: not an identity number
    "Nummer 991399-1234",  # month 13: not a date
])
def test_other_numbers_pass(text):
    assert not has_identity_number(text)


@pytest.mark.parametrize("text, names", [
    ("Igår stod Anna Svensson vid porten.", ("Anna Svensson",)),
    ("Klotter på väggen. Han heter Ali och bor här.", ("Ali",)),
    ("The man called Erik threw stones.", ("Erik",)),
    ("Såg att Kalle Anka och Musse Pigg sprang.", ("Kalle Anka", "Musse Pigg")),
])
def test_likely_names_are_found(text, names):
    assert likely_names(text) == names


@pytest.mark.parametrize("text", [
    "Krossad ruta vid Husby Centrum, igen.",  # the area's name
    "Trasig belysning vid Husby torg.",
    "heter vad som helst",  # no capital after "heter"
    "",
])
def test_places_and_sentence_starts_are_not_names(text):
    assert likely_names(text, known=["Husby", "Husby torg"]) == ()


def test_check_text_reports_both():
    result = check_text(f"Ett nummer {PNR12} och Lisa Berg.")
    assert result.has_identity_number and result.likely_names == ("Lisa Berg",)


@pytest.mark.django_db
class TestTheForm:
    @pytest.fixture
    def world(self):
        return build_local_world(["shop", "housing_a"])

    def test_an_identity_number_is_refused_and_the_rest_is_kept(self, world, login):
        text = f"Pojken {PNR12[2:8]}-{PNR12[8:]} klottrade."
        response = login(world["shop"]).post(REPORT, form_data(world, "husby", "vandalism", text=text))
        assert response.status_code == 200 and not IncidentReport.objects.exists()
        form = response.context["form"]
        assert form.has_error("text", "identity_number")
        assert form["category"].value() == str(world.categories["vandalism"].pk)
        assert "looks like a personal identity number" in response.content.decode()
        # Confirming "no names" does not let an identity number through.
        again = login(world["shop"]).post(REPORT, form_data(world, "husby", text=text, no_names="on"))
        assert again.status_code == 200 and not IncidentReport.objects.exists()

    def test_a_likely_name_needs_the_reporters_confirmation(self, world, login):
        client = login(world["shop"])
        data = form_data(world, "husby", text="Igår klottrade Anna Svensson på väggen.")
        response = client.post(REPORT, data)
        assert response.status_code == 200 and not IncidentReport.objects.exists()
        assert response.context["form"].has_error("no_names", "possible_name")
        content = response.content.decode()
        assert "I have not named anyone" in content and "Anna Svensson" in content
        confirmed = client.post(REPORT, {**data, "no_names": "on"})
        assert confirmed.status_code == 302
        assert IncidentReport.objects.get().text == "Igår klottrade Anna Svensson på väggen."

    def test_the_confirmation_box_is_not_shown_without_a_warning(self, world, login):
        response = login(world["shop"]).get(REPORT)
        assert "I have not named anyone" not in response.content.decode()
        assert "Incidents are about places, not people" in response.content.decode()

    def test_a_named_place_is_not_taken_for_a_name(self, world, login):
        from samverkan.picture.models import Place

        Place.objects.create(area=world.areas["husby"], name="Husby Gård", lat="59.41000", lon="17.92600")
        response = login(world["shop"]).post(
            REPORT, form_data(world, "husby", text="Krossad ruta vid Husby Gård ikväll."))
        assert response.status_code == 302

    def test_text_longer_than_500_is_refused(self, world, login):
        response = login(world["shop"]).post(REPORT, form_data(world, "husby", text="x" * 501))
        assert response.status_code == 200 and response.context["form"].has_error("text")
        assert not IncidentReport.objects.exists()
