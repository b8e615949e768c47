"""My cases: paging without a count, and a fixed number of queries whatever the caseload."""

import functools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from samverkan.casepages import selectors
from samverkan.cases import reference as programmes
from samverkan.cases import services as cases
from samverkan.cases.models import Programme
from samverkan.directory.models import Organisation
from samverkan.directory.services import reference_data_load
from samverkan.lib.identity_numbers import make_fictitious, parse
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    reference_data_load()
    programmes.load()
    return UserFactory(organisation=Organisation.objects.get(short_code="sdf-jarva"), roles=["coordinator"])


def _intakes(lead, count: int, start: int = 0) -> None:
    today = timezone.localdate()
    programme = Programme.objects.get(code="sig-unga-vuxna-jarva")
    for n in range(start, start + count):
        cases.case_intake(
            actor=lead, programme=programme, identity=parse(make_fictitious(today.replace(year=today.year - 20), n)),
            first_name="Demo", last_name=f"Deltagare {n}", intake_source="own_application", received_on=today,
            is_fictitious=True,
        )


def test_pages_without_a_total(lead):
    _intakes(lead, 7)
    first, rows = selectors.my_cases(actor=lead, per_page=3)
    assert len(rows) == 3
    assert (first.number, first.has_previous, first.has_next) == (1, False, True)
    last, rows = selectors.my_cases(actor=lead, page=3, per_page=3)
    assert len(rows) == 1
    assert (last.has_previous, last.has_next, last.previous_page_number) == (True, False, 2)
    every = [r.case.pk for page in (1, 2, 3) for r in selectors.my_cases(actor=lead, page=page, per_page=3)[1]]
    assert len(every) == len(set(every)) == 7


def test_a_page_past_the_end_shows_the_first(lead):
    _intakes(lead, 2)
    pager, rows = selectors.my_cases(actor=lead, page=9, per_page=3)
    assert pager.number == 1 and not pager.has_other_pages
    assert len(rows) == 2


def test_queries_do_not_grow_with_the_caseload(lead):
    _intakes(lead, 2)
    with CaptureQueriesContext(connection) as few:
        selectors.my_cases(actor=lead)
    _intakes(lead, 8, start=2)
    with CaptureQueriesContext(connection) as many:
        _pager, rows = selectors.my_cases(actor=lead)
    assert len(rows) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_links_to_the_next_and_previous_page(lead, logged_in, monkeypatch):
    _intakes(lead, 4)
    monkeypatch.setattr(selectors, "my_cases", functools.partial(selectors.my_cases, per_page=3))
    client = logged_in(lead)
    page = client.get("/arenden/").content.decode()
    assert 'rel="next"' in page and 'rel="prev"' not in page
    assert "page=2" in page
    page = client.get("/arenden/?page=2").content.decode()
    assert 'rel="prev"' in page and 'rel="next"' not in page
    assert page.count('class="govuk-table__row"') == 1 + 1  # the header row and one case
