"""The one document maker: autoescaped templates, and a URL fetcher that gives WeasyPrint
the app's own static files and nothing else (no network, no file:, no data:, no path out
of the static folders), with log lines that carry no arguments."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from samverkan.lib import documents
from samverkan.lib.documents import (
    DOCUMENT_BASE_URL,
    DOCUMENT_IMAGES_URL,
    RefusedResource,
    render_pdf,
    static_file,
    url_fetcher,
)
from tests.documents import HOSTILE_MARKUP, active_content, assert_printed_literally, spy_on_document_fetches

STYLESHEET_URL = DOCUMENT_BASE_URL + "static/frontend/pdf/documents.css"
SRC = Path(documents.__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _no_letterhead(settings):
    """These tests are about the document maker alone (no database): no letterhead."""
    settings.SAMVERKAN_DOCUMENT_LETTERHEAD = ""


@pytest.fixture
def template_dir(settings, tmp_path):
    """A template folder of the test's own, searched before the apps' folders."""
    folder = tmp_path / "templates"
    folder.mkdir()
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(folder)]}]
    return folder


def _template(folder: Path, body: str) -> str:
    (folder / "probe.html").write_text(
        '{% extends "frontend/pdf/base.html" %}{% block content %}' + body + "{% endblock %}"
    )
    return "probe.html"


def test_the_print_stylesheet_is_served_from_disk():
    path = static_file(STYLESHEET_URL)
    assert path.name == "documents.css" and path.is_file()
    response = url_fetcher().fetch(STYLESHEET_URL)
    assert response.read() == path.read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/hostname",
        "/etc/hostname",
        "etc/hostname",
        "http://evil.example/x.css",
        "https://evil.example/static/frontend/pdf/documents.css",
        "ftp://evil.example/x.css",
        "data:text/css;base64,Ym9keXtjb2xvcjpyZWR9",
        "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>",
        DOCUMENT_BASE_URL + "etc/hostname",
        DOCUMENT_BASE_URL + "static/../../../../etc/hostname",
        DOCUMENT_BASE_URL + "static/frontend/../../../../../../etc/hostname",
        DOCUMENT_BASE_URL + "static/%2e%2e/%2e%2e/%2e%2e/etc/hostname",
        DOCUMENT_BASE_URL + "static/frontend/pdf/%2e%2e%2f%2e%2e%2f..%2fsettings%2fbase.py",
        DOCUMENT_BASE_URL + "static//etc/hostname",
        DOCUMENT_BASE_URL + "static/frontend\\..\\..\\settings\\base.py",
        DOCUMENT_BASE_URL + "static/frontend/pdf/documents.css%00.png",
        DOCUMENT_BASE_URL + "static/frontend/pdf/no-such-file.css",
        "http://documents.samverkan.invalid/static/frontend/pdf/documents.css",
    ],
)
def test_the_fetcher_refuses_everything_else(url):
    with pytest.raises((RefusedResource, ValueError)):
        static_file(url)
    with pytest.raises((RefusedResource, ValueError)):
        url_fetcher().fetch(url)


def test_a_symbolic_link_out_of_the_static_root_is_refused(settings, tmp_path):
    root = tmp_path / "collected"
    root.mkdir()
    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }")
    (root / "escape.css").symlink_to(secret)
    (root / "own.css").write_text("body { color: black }")
    settings.STATIC_ROOT = str(root)
    assert static_file(DOCUMENT_BASE_URL + "static/own.css").name == "own.css"
    with pytest.raises(RefusedResource):
        static_file(DOCUMENT_BASE_URL + "static/escape.css")


def test_text_is_printed_not_interpreted(template_dir, monkeypatch):
    spy = spy_on_document_fetches(monkeypatch)
    name = _template(template_dir, "<p>{{ name }}</p><p>{{ other }}</p>")
    pdf = render_pdf(template_name=name, title="Prov", context={"name": " ".join(HOSTILE_MARKUP),
                                                                 "other": "Hedin <b>"})
    assert_printed_literally(pdf, [" ".join(HOSTILE_MARKUP)])
    spy.assert_only_static()


def test_a_template_that_asks_for_more_gets_nothing_and_logs_no_url(template_dir, monkeypatch, caplog):
    """Even a template (not data) that names a local file, a web address or a data: URL
    gets nothing: each request reaches the fetcher, is refused and skipped, and the log
    line WeasyPrint writes about it keeps its fixed wording only."""
    spy = spy_on_document_fetches(monkeypatch)
    name = _template(template_dir, """
        <p>Kvar</p>
        <img src="file:///etc/hostname?Hemligperson">
        <img src="/etc/hostname">
        <img src="https://evil.example/pixel.png?Hemligperson">
        <img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==">
        <link rel="stylesheet" href="../../../../etc/hostname">
        <object data="file:///etc/passwd"></object>
    """)
    with caplog.at_level(logging.DEBUG, logger="weasyprint"):
        pdf = render_pdf(template_name=name, title="Prov", context={})
    assert_printed_literally(pdf, ["Kvar"])
    refused = [u for u in spy.urls if u != STYLESHEET_URL]
    assert any(u.startswith("file:") for u in refused) and any(u.startswith("data:") for u in refused)
    assert any(u.startswith("https://evil.example") for u in refused)
    assert any(u == DOCUMENT_BASE_URL + "etc/hostname" for u in refused)
    weasy = [r for r in caplog.records if r.name.startswith("weasyprint")]
    assert weasy, "WeasyPrint logged nothing about the refused resources"
    assert "Hemligperson" not in caplog.text and "hostname" not in caplog.text
    assert "evil.example" not in caplog.text


def test_the_link_detector_sees_a_link(template_dir):
    """The hostile-input tests rely on active_content; it must see a real link."""
    name = _template(template_dir, '<a href="https://evil.example">x</a>')
    assert "/URI" in active_content(render_pdf(template_name=name, title="Prov", context={}))


# The one image a document may show: the letterhead's logo, held in memory by lib.documents.
LETTERHEAD_LOGO = '<img class="letterhead__logo" src="{{ document_images_url }}logo.png"'


def test_no_document_template_can_switch_escaping_off_or_link_or_load():
    templates = [p for p in SRC.glob("*/templates/*/pdf/*.html")]
    assert len(templates) >= 6, templates
    for path in templates:
        text = re.sub(r"{% comment %}.*?{% endcomment %}", "", path.read_text(), flags=re.S)
        if path.name == "base.html":
            assert text.count(LETTERHEAD_LOGO) == 1 and text.count("<img") == 1, path
            text = text.replace(LETTERHEAD_LOGO, "")
        for forbidden in ("|safe", "autoescape off", "safeseq", "<a ", "<img", "<object", "<embed",
                          "<iframe", "url(", "@import"):
            assert forbidden not in text, (path, forbidden)
        if path.name != "base.html":
            assert "<link" not in text and "<style" not in text, path


def test_documents_refuse_an_engine_without_autoescaping(template_dir, settings):
    from django.core.exceptions import ImproperlyConfigured

    name = _template(template_dir, "<p>{{ name }}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0],
                           "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"], "autoescape": False}}]
    with pytest.raises(ImproperlyConfigured):
        render_pdf(template_name=name, title="Prov", context={"name": "Hedin <b>"})


LOGO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\xdacd\xf8\xcf\x00\x00\x03\x06\x01\x80Z4}k\x00\x00\x00\x00IEND\xaeB`\x82"
)


def letterhead_for_test():
    return {
        "context": {"letterhead": {"name": "Provkommun", "contact_lines": ["08-000 00 00"], "has_logo": True,
                                   "logo_alt": "Logotyp"}},
        "images": {"logo.png": LOGO},
    }


def test_the_letterhead_is_printed_and_only_its_own_image_is_served(settings):
    settings.SAMVERKAN_DOCUMENT_LETTERHEAD = "tests.lib.test_documents.letterhead_for_test"
    from tests.documents import pdf_text

    text = pdf_text(render_pdf(template_name="frontend/pdf/base.html", title="Prov", context={}))
    assert "Provkommun" in text and "08-000 00 00" in text
    fetcher = url_fetcher({"logo.png": LOGO})
    assert fetcher.fetch(DOCUMENT_IMAGES_URL + "logo.png").read() == LOGO
    for url in (DOCUMENT_IMAGES_URL + "other.png", DOCUMENT_IMAGES_URL + "../static/x.css", DOCUMENT_IMAGES_URL):
        with pytest.raises(RefusedResource):
            fetcher.fetch(url)
    with pytest.raises(RefusedResource):
        url_fetcher().fetch(DOCUMENT_IMAGES_URL + "logo.png")
