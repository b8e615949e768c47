"""The authorisation tests share one world per module: it is built once inside a
transaction that is rolled back when the module ends, and every test runs in a
savepoint inside it (pytest-django's ``db``), so what a test changes (consent states,
POSTed actions) is undone before the next one."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings

# A one-page PDF whose text is a marker only the lead organisation's team may read.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n"
    b"4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 20 100 Td (MKCONSENTDOCZZ) Tj ET\nendstream endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.core.files.storage import default_storage

    from tests.authz.entries import build_world
    from tests.world import rolled_back

    media = tmp_path_factory.mktemp("authz-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock(), rolled_back():
        # Statistics as other organisations' managers see them before the case exists.
        from tests.authz.baseline import capture_baseline

        w = build_world(before_case=capture_baseline)
        w.consent_document = default_storage.save("consent/authz/form.pdf", ContentFile(TINY_PDF))
        yield w
