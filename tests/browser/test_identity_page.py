"""The organisation's identity page (/katalog/identitet/) in a browser, as the one persona
who may open it, a system administrator: empty, with errors, and once saved with a logo
(the header themed in the chosen colour): axe finds nothing and the page never scrolls
sideways, on a phone (320 and 390 px) and on a desktop (1280 px)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from samverkan.directory.models import Identity
from tests.browser.conftest import axe_violations, login
from tests.browser.test_trefas_phone import _WIDEST
from tests.factories import OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PATH = "/katalog/identitet/"
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _check(page, label: str, failures: list) -> None:
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        if not page.evaluate(FITS):
            failures.append((label, width, "scrolls sideways", page.evaluate(_WIDEST)))
        violations = axe_violations(page)
        if violations:
            failures.append((label, width, "axe", violations))


def test_the_identity_page_passes_axe(live_server, page_factory, tmp_path):
    admin = UserFactory(organisation=OrganisationFactory(kind="municipal"), roles=["system_admin"])
    page = page_factory()
    login(page, live_server.url, admin)
    failures: list = []

    response = page.goto(live_server.url + PATH)
    assert response is not None and response.status == 200
    _check(page, "empty", failures)

    # Errors: a colour white text cannot be read on, an address that is not one.
    page.fill("#id_name", "Exempelstad kommun")
    page.fill("#id_primary_colour", "#ffff00")
    page.fill("#id_email", "inte en adress")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".govuk-error-summary").count() == 1
    _check(page, "errors", failures)

    # Saved, with a logo: the page shows it and the header takes the colour.
    logo = tmp_path / "logo.png"
    out = io.BytesIO()
    Image.new("RGB", (160, 60), (20, 60, 140)).save(out, format="PNG")
    logo.write_bytes(out.getvalue())
    page.fill("#id_primary_colour", "#1d70b8")
    page.fill("#id_email", "kontakt@exempelstad.invalid")
    page.set_input_files("#id_logo", str(logo))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == live_server.url + PATH
    assert Identity.objects.get().name == "Exempelstad kommun"
    assert page.locator("img.sv-identity-preview").count() == 1
    _check(page, "saved", failures)

    assert not failures, "\n".join(str(f) for f in failures)
