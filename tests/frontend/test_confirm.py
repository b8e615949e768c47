"""The UI kit's confirmation step (frontend.confirm): what the page says, the data it
carries back, and that only a POST from its "Yes, …" button counts as confirmed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from samverkan.frontend.confirm import confirm_page, confirmed, going_back

# The page's header reads the municipality's name and logo (one query).
pytestmark = pytest.mark.django_db


def _post(data: dict, path: str = "/arenden/x/stang/?rattar=1"):
    request = RequestFactory().post(path, data)
    request.user = AnonymousUser()
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_only_the_yes_button_confirms():
    assert not confirmed(_post({}))
    assert not confirmed(_post({"confirmed": "yes"}))
    assert confirmed(_post({"confirmed": "1"}))
    assert not confirmed(_post({"confirmed": "1", "back": "1"}))
    assert going_back(_post({"confirmed": "1", "back": "1"}))
    assert not going_back(_post({"confirmed": "1"}))
    get = RequestFactory().get("/x/", {"confirmed": "1"})
    assert not confirmed(get)


def test_the_page_says_what_happens_and_carries_the_data_back():
    request = _post({
        "csrfmiddlewaretoken": "old", "confirmed": "0", "back": "1",
        "note": 'Rad ett\nrad "två" <b>', "roles": ["1", "2"],
    })
    response = confirm_page(
        request, heading="Close the case?", consequence="The case will be closed now.",
        irreversible="A closed case cannot be reopened.", submit="Yes, close the case",
        cancel_url="/arenden/x/avslut/", details=[("Outcome", "Moved away")], destructive=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1 class=\"govuk-heading-l govuk-!-text-break-word\">Close the case?</h1>" in body
    assert "The case will be closed now." in body and "Moved away" in body
    assert 'class="govuk-warning-text"' in body and "A closed case cannot be reopened." in body
    assert "govuk-button--warning" in body and "Yes, close the case" in body
    assert '<a class="govuk-link" href="/arenden/x/avslut/">Cancel</a>' in body
    assert 'action="/arenden/x/stang/?rattar=1"' in body  # back to the same address, query kept
    # The data, escaped, in hidden fields; every value of a repeated field; one fresh token.
    assert 'name="note" value="Rad ett\nrad &quot;två&quot; &lt;b&gt;"' in body
    assert 'name="roles" value="1"' in body and 'name="roles" value="2"' in body
    form = body[body.index('action="/arenden/x/stang/'):]
    form = form[: form.index("</form>")]
    assert form.count('name="csrfmiddlewaretoken"') == 1 and 'value="old"' not in body
    assert 'name="confirmed" value="1"' in body and 'name="confirmed" value="0"' not in body
    assert 'name="back" value="1"' not in body  # no way back to a form that was not given


def test_a_form_that_signs_as_it_saves_offers_the_way_back():
    response = confirm_page(
        _post({"text": "x"}), heading="Sign?", consequence="c", irreversible="i", submit="Yes, sign",
        cancel_url="/", back_label="No, go back and change it", cancel_label="No, keep it",
    )
    body = response.content.decode()
    assert 'name="back" value="1"' in body and "No, go back and change it" in body
    assert "No, keep it" in body and "govuk-button--warning" not in body


def test_under_a_page_header_the_question_is_a_second_level_heading():
    response = confirm_page(
        _post({}), heading="Sign?", consequence="c", irreversible="i", submit="Yes, sign", cancel_url="/",
        header="includes/form.html",  # any include: here it renders nothing
    )
    body = response.content.decode()
    assert '<h2 class="govuk-heading-m govuk-!-text-break-word">Sign?</h2>' in body
