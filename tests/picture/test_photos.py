"""A report's photo: only JPEG or PNG (decoded, not trusted by name), within the size
limit, re-encoded without metadata, stored under a random name in the (temporary) media
root, and served only to those who may see the report, never cached."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from samverkan.audit.models import AuditEvent
from samverkan.picture.models import IncidentReport
from samverkan.picture.services.photos import photo_prepare
from tests.picture.reporting import form_data, gif_bytes, jpeg_with_gps, png_with_text, temporary_media_root
from tests.picture.world import build_local_world

pytestmark = pytest.mark.django_db

REPORT = reverse("picture:report")


@pytest.fixture
def media_root(tmp_path, settings):
    return temporary_media_root(tmp_path, settings)


@pytest.fixture
def world():
    return build_local_world(["housing_a", "housing_b", "police_rinkeby", "police_skarholmen", "jarva_staff", "tax",
                              "shop"])


def _upload(content: bytes, name: str = "IMG_0042.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def _report_with_photo(world, login, persona="housing_a", content=None):
    data = form_data(world, "husby", photo=_upload(content or jpeg_with_gps()))
    response = login(world[persona]).post(REPORT, data)
    assert response.status_code == 302, response.content[:2000]
    return IncidentReport.objects.get()


def test_the_fixture_photo_really_carries_gps_and_a_comment():
    raw = jpeg_with_gps()
    with Image.open(io.BytesIO(raw)) as image:
        assert image.getexif().get_ifd(0x8825)  # GPS
    assert b"secret comment" in raw and b"FictiveCam" in raw


def test_exif_and_gps_are_stripped(media_root):
    prepared = photo_prepare(_upload(jpeg_with_gps()))
    data = prepared.content.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif() and "exif" not in image.info and "comment" not in image.info
    assert b"FictiveCam" not in data and b"secret comment" not in data and b"Exif" not in data
    assert prepared.name.endswith(".jpg") and "IMG_0042" not in prepared.name


def test_png_text_chunks_are_stripped(media_root):
    prepared = photo_prepare(_upload(png_with_text(), "a.png", "image/png"))
    data = prepared.content.read()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and "Author" not in image.info
    assert b"Fictive Person" not in data


def test_a_large_photo_is_scaled_down(media_root):
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (10, 10, 10)).save(out, format="JPEG")
    prepared = photo_prepare(_upload(out.getvalue()))
    with Image.open(io.BytesIO(prepared.content.read())) as image:
        assert max(image.size) == 2560


def test_the_photo_is_stored_under_a_random_name_in_the_media_root(world, login, media_root):
    report = _report_with_photo(world, login)
    stored = Path(media_root) / report.photo.name
    assert stored.is_file()
    assert "IMG_0042" not in report.photo.name and report.photo.name.startswith("picture/")
    assert b"FictiveCam" not in stored.read_bytes()


@pytest.mark.parametrize("content, name, kind", [
    (b"%PDF-1.4 not an image", "photo.jpg", "image/jpeg"),
    (gif_bytes(), "photo.gif", "image/gif"),
    (jpeg_with_gps()[:200], "broken.jpg", "image/jpeg"),
])
def test_anything_but_a_readable_jpeg_or_png_is_refused_and_the_rest_is_kept(world, login, media_root, content,
                                                                             name, kind):
    data = form_data(world, "husby", "littering", text="Soppåsar vid entrén.", photo=_upload(content, name, kind))
    response = login(world["housing_a"]).post(REPORT, data)
    assert response.status_code == 200 and not IncidentReport.objects.exists()
    form = response.context["form"]
    assert form.has_error("photo", "format")
    assert form["text"].value() == "Soppåsar vid entrén."
    assert form["category"].value() == str(world.categories["littering"].pk)
    assert not any(Path(media_root).rglob("*.*"))  # nothing written


def test_an_oversized_photo_is_refused_with_a_clear_message(world, login, media_root, settings):
    settings.PICTURE_PHOTO_MAX_BYTES = 1024
    big = io.BytesIO()
    Image.effect_noise((200, 200), 50).convert("RGB").save(big, format="JPEG", quality=95)
    assert len(big.getvalue()) > 1024
    data = form_data(world, "husby", text="Trasig lampa.", photo=_upload(big.getvalue()))
    response = login(world["housing_a"]).post(REPORT, data)
    assert response.status_code == 200 and not IncidentReport.objects.exists()
    assert response.context["form"].has_error("photo", "too_large")
    content = response.content.decode()
    assert "larger than 1.0\xa0KB" in content and "Trasig lampa." in content


def test_a_rolled_back_report_leaves_no_file(world, login, media_root, monkeypatch):
    from samverkan.picture.services import reports

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reports.audit, "record", fail)
    with pytest.raises(RuntimeError):
        login(world["housing_a"]).post(REPORT, form_data(world, "husby", photo=_upload(jpeg_with_gps())))
    assert not IncidentReport.objects.exists()
    assert not any(p.is_file() for p in Path(media_root).rglob("*"))


@pytest.mark.parametrize("persona, status", [
    ("housing_a", 200), ("police_rinkeby", 200), ("jarva_staff", 200),
    ("housing_b", 404), ("police_skarholmen", 404), ("tax", 404), ("shop", 404),
])
def test_the_photo_is_served_only_to_those_who_see_the_report(world, login, media_root, persona, status):
    report = _report_with_photo(world, login)
    response = login(world[persona]).get(reverse("picture:report_photo", args=[report.public_id]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        body = b"".join(response.streaming_content)
        assert body.startswith(b"\xff\xd8") and b"FictiveCam" not in body
        assert AuditEvent.objects.filter(action="picture.report_photo_viewed", actor_id=world[persona].pk).exists()


def test_the_report_page_shows_the_photo_through_the_checked_view_only(world, login, media_root):
    report = _report_with_photo(world, login)
    content = login(world["housing_a"]).get(reverse("picture:report_detail", args=[report.public_id])).content
    assert reverse("picture:report_photo", args=[report.public_id]).encode() in content
    assert report.photo.name.encode() not in content  # never the stored file's path


def test_a_report_without_a_photo_has_no_photo_page(world, login, media_root):
    login(world["housing_a"]).post(REPORT, form_data(world, "husby"))
    report = IncidentReport.objects.get()
    assert login(world["housing_a"]).get(reverse("picture:report_photo", args=[report.public_id])).status_code == 404


def test_withdrawing_deletes_the_photo(world, login, media_root, django_capture_on_commit_callbacks):
    report = _report_with_photo(world, login)
    stored = Path(media_root) / report.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        login(world["housing_a"]).post(reverse("picture:report_withdraw", args=[report.public_id]),
                                       {"version": report.version})
    report.refresh_from_db()
    assert not report.photo and not stored.exists()
    assert login(world["housing_a"]).get(reverse("picture:report_photo", args=[report.public_id])).status_code == 404
