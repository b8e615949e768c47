"""The organisation's identity: only system administrators edit it; the colour must
carry white text (4.5:1); the logo is re-encoded from its pixels (PNG or JPEG, never
SVG); the staff and public headers, documents and e-mails show it."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, PngImagePlugin

from samverkan.audit.models import AuditEvent
from samverkan.demo.identity import DEMO_NAME, load_identity
from samverkan.directory import selectors
from samverkan.directory.models import Identity
from samverkan.lib.colours import contrast_ratio
from samverkan.lib.documents import render_pdf
from tests.documents import pdf_text

pytestmark = pytest.mark.django_db

URL = "/katalog/identitet/"
VALID = {
    "name": "Exempelstad kommun",
    "primary_colour": "#1D70B8",
    "address": "Box 1, 100 00 Exempelstad",
    "phone": "08-465 004 01",
    "email": "kontakt@exempelstad.invalid",
    "website": "https://exempelstad.invalid",
    "version": "",
}


@pytest.fixture
def admin(user_factory):
    return user_factory(roles=["system_admin"])


def _png(*, size=(40, 20), text: str = "") -> bytes:
    info = PngImagePlugin.PngInfo()
    if text:
        info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (30, 30), (10, 120, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCamera"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def _save(client, **changes):
    data = {**VALID, **changes}
    return client.post(URL, data)


def test_only_a_system_administrator_opens_or_saves_the_identity(logged_in, user_factory, admin):
    assert Client().get(URL).status_code == 302  # to the login page
    for roles in (["caseworker"], ["organisation_admin"], ["coordinator"], ["system_auditor"]):
        client = logged_in(user_factory(roles=roles))
        assert client.get(URL).status_code == 403, roles
        assert _save(client).status_code == 403, roles
    assert not Identity.objects.exists()
    assert logged_in(admin).get(URL).status_code == 200


def test_admin_saves_the_identity_audited_and_the_headers_show_it(logged_in, admin):
    client = logged_in(admin)
    response = _save(client, logo=SimpleUploadedFile("logo.png", _png(), content_type="image/png"))
    assert response.status_code == 302
    stored = Identity.objects.get()
    assert stored.name == "Exempelstad kommun" and stored.primary_colour == "#1d70b8"
    event = AuditEvent.objects.filter(action="directory.identity_updated").get()
    assert set(json.loads(event.detail)["changed"]) >= {"name", "primary_colour", "logo"}
    # The staff header: the name, the logo and the colour's stylesheet.
    html = client.get(URL).content.decode()
    assert '<span class="sv-brand-name">Exempelstad kommun</span>' in html
    assert f'src="/katalog/identitet/logotyp.png?v={stored.version}"' in html
    assert f'href="/katalog/identitet/tema.css?v={stored.version}"' in html
    # The residents' pages, without logging in.
    public_html = Client().get("/tipsa/").content.decode()
    assert "Exempelstad kommun</span>" in public_html and "identitet/logotyp.png" in public_html
    css = Client().get("/katalog/identitet/tema.css")
    assert css.status_code == 200 and css["Content-Type"].startswith("text/css")
    assert "--sv-brand: #1d70b8;" in css.content.decode()
    logo = Client().get("/katalog/identitet/logotyp.png")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"
    assert logo.content.startswith(b"\x89PNG")


def test_the_theme_and_logo_are_kept_by_browsers_and_staff_pages_are_not(logged_in, admin):
    client = logged_in(admin)
    _save(client, logo=SimpleUploadedFile("logo.png", _png(), content_type="image/png"))
    version = Identity.objects.get().version
    # The same for everyone and free of personal data, at a URL that changes with the
    # identity: kept by the browser, logged in or not, not fetched again by every page.
    for who in (client, Client()):
        for path in ("tema.css", "logotyp.png"):
            response = who.get(f"/katalog/identitet/{path}?v={version}")
            assert response.status_code == 200
            assert response["Cache-Control"] == "public, max-age=86400", path
    # Everything else a logged-in person is answered stays out of every cache.
    assert client.get(URL)["Cache-Control"] == "no-store, private"
    assert client.get("/arenden/")["Cache-Control"] == "no-store, private"
    # No logo: the 404 is not kept either.
    _save(client, version=str(version), remove_logo="on")
    missing = client.get("/katalog/identitet/logotyp.png")
    assert missing.status_code == 404
    assert missing["Cache-Control"] == "no-store, private"


def test_without_an_identity_the_pages_show_the_product_only(client):
    html = client.get("/tipsa/").content.decode()
    assert "sv-brand" not in html and "identitet/tema.css" not in html
    assert client.get("/katalog/identitet/logotyp.png").status_code == 404


@pytest.mark.parametrize(("colour", "message"), [
    ("#ffdd00", "White text on #ffdd00 has a contrast of only 1.34:1"),
    ("#777777", "contrast of only 4.47:1"),  # 4.478: just below 4.5
    ("blue", "six hexadecimal digits"),
    ("#12345", "six hexadecimal digits"),
    ("", "Enter the primary colour"),
])
def test_a_colour_white_text_cannot_be_read_on_is_refused(logged_in, admin, colour, message):
    response = _save(logged_in(admin), primary_colour=colour)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Identity.objects.exists()


def test_contrast_ratio_follows_wcag():
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676", "#ffffff"), 2) == 4.54
    assert contrast_ratio("#ffffff", "#ffffff") == 1.0


def test_the_logo_is_re_encoded_without_metadata(logged_in, admin):
    client = logged_in(admin)
    _save(client, logo=SimpleUploadedFile("l.png", _png(size=(2000, 1000), text="secret-comment"), "image/png"))
    stored = bytes(Identity.objects.get().logo_png)
    assert b"secret-comment" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "PNG" and image.size == (800, 400)  # scaled down
        assert "Comment" not in image.info
    version = Identity.objects.get().version
    _save(client, version=str(version), logo=SimpleUploadedFile("p.jpg", _jpeg_with_exif(), "image/jpeg"))
    stored = bytes(Identity.objects.get().logo_png)
    assert stored.startswith(b"\x89PNG") and b"SecretCamera" not in stored


@pytest.mark.parametrize(("name", "content", "message"), [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG is not accepted"),
    ("logo.png", b"GIF89a" + b"\x00" * 40, "must be a PNG or JPEG"),
    ("logo.png", _png()[:30], "must be a PNG or JPEG"),  # truncated
    ("big.png", b"\x89PNG" + b"\x00" * (1024 * 1024 + 1), "larger than 1"),
])
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(logged_in, admin, name, content, message):
    response = _save(logged_in(admin), logo=SimpleUploadedFile(name, content, "image/png"))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Identity.objects.exists()


def test_two_administrators_do_not_overwrite_each_other(logged_in, admin, user_factory):
    first, second = logged_in(admin), logged_in(user_factory(roles=["system_admin"]))
    assert _save(first).status_code == 302
    assert _save(second, name="Annan kommun", version="").status_code == 409  # saw no identity
    assert Identity.objects.get().name == "Exempelstad kommun"
    assert _save(second, name="Annan kommun", version="1").status_code == 302
    assert Identity.objects.get().name == "Annan kommun"


def test_remove_the_logo(logged_in, admin):
    client = logged_in(admin)
    _save(client, logo=SimpleUploadedFile("l.png", _png(), "image/png"))
    _save(client, version="1", remove_logo="on")
    assert bytes(Identity.objects.get().logo_png) == b""
    assert "identitet/logotyp.png" not in client.get(URL).content.decode()


def test_documents_carry_the_letterhead_and_mails_the_footer():
    load_identity()
    pdf = render_pdf(template_name="frontend/pdf/base.html", title="Test", context={})
    text = pdf_text(pdf)
    assert DEMO_NAME in text and "08-465 004 00" in text and "kontakt@exempelstad.invalid" in text
    footer = selectors.identity_mail_footer()
    assert footer.startswith("\n--\n" + DEMO_NAME) and "Box 100, 123 45 Exempelstad" in footer


def test_the_demo_identity_is_fictitious_and_never_replaces_a_real_one(logged_in, admin):
    assert load_identity()
    demo = Identity.objects.get()
    assert demo.is_fictitious and "fiktiv" in demo.name and bytes(demo.logo_png).startswith(b"\x89PNG")
    assert contrast_ratio(demo.primary_colour, "#ffffff") >= 4.5
    _save(logged_in(admin), version=str(demo.version))
    assert not Identity.objects.get().is_fictitious
    assert not load_identity()
    assert Identity.objects.get().name == "Exempelstad kommun"
