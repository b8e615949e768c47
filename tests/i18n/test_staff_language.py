"""The staff pages speak Swedish by default and English on request.

The test settings run the rest of the suite in English (LANGUAGE_CODE = "en", so other
tests can assert msgids); these tests put back the real default, Swedish.
"""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import login_client
from tests.factories import UserFactory

LOGIN = "/konto/logga-in/"


@pytest.fixture(autouse=True)
def _swedish_default(settings):
    from samverkan.settings import base

    settings.LANGUAGE_CODE = base.LANGUAGE_CODE


def test_the_configured_default_language_is_swedish():
    from samverkan.settings import base

    assert base.LANGUAGE_CODE == "sv"
    assert [code for code, _name in base.LANGUAGES][:2] == ["sv", "en"]
    assert tuple(base.SAMVERKAN_STAFF_LANGUAGES) == ("sv", "en")


def _html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_login_page_is_swedish_without_accept_language():
    html = _html(Client().get(LOGIN))
    assert '<html lang="sv"' in html
    assert "Logga in i Samverkan" in html
    assert "Användarnamn" in html and "Lösenord" in html
    assert "Log in to Samverkan" not in html
    assert "Username" not in html


@pytest.mark.django_db
def test_login_page_is_english_when_the_browser_asks_for_english():
    html = _html(Client(headers={"accept-language": "en"}).get(LOGIN))
    assert '<html lang="en"' in html
    assert "Log in to Samverkan" in html
    assert "Username" in html
    assert "Logga in" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["ar", "so", "de"])
def test_login_page_falls_back_to_swedish_for_other_languages(accept):
    """Arabic and Somali exist for the public pages only; the staff pages stay Swedish."""
    html = _html(Client(headers={"accept-language": accept}).get(LOGIN))
    assert '<html lang="sv"' in html
    assert "Logga in i Samverkan" in html


@pytest.mark.django_db
def test_language_switch_to_english_and_back():
    client = Client()
    assert "Logga in i Samverkan" in _html(client.get(LOGIN))
    response = client.post("/sprak/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert "Log in to Samverkan" in _html(client.get(LOGIN))
    client.post("/sprak/", {"language": "sv", "next": LOGIN})
    assert "Logga in i Samverkan" in _html(client.get(LOGIN))


@pytest.mark.django_db
def test_logged_in_pages_are_swedish_with_swedish_plurals_and_placeholders():
    user = UserFactory(roles=["caseworker"], first_name="Greta")
    client = login_client(Client(), user)
    html = _html(client.get("/"))
    assert '<html lang="sv"' in html
    assert "Hej Greta" in html  # blocktranslate with a placeholder
    assert "Att göra i dag" in html
    assert "Logga ut" in html
    assert "To do today" not in html
    missing = client.get("/finns-inte/")
    assert missing.status_code == 404
    assert "Sidan hittades inte" in missing.content.decode()
