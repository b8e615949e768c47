"""Helpers of the incident-reporting suites (test_reports, test_report_text, test_photos,
test_catalogue): a temporary media root, photos made with Pillow, and the report form's
POST data."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from PIL import Image

from tests.picture.world import LocalWorld


def temporary_media_root(tmp_path, settings):
    """Every photo written by a test goes to a temporary folder (call it from a
    fixture)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG whose EXIF names a camera and a GPS position (and carries a comment)."""
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "FictiveCam"  # Make
    exif[0x0110] = "Model 9"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (59.0, 23.0, 1.0)
    gps[3] = "E"
    gps[4] = (17.0, 55.0, 2.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, comment=b"secret comment")
    return out.getvalue()


def png_with_text(size: tuple[int, int] = (30, 20)) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Fictive Person")
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 0, 255, 128)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


def gif_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    return out.getvalue()


def form_data(world: LocalWorld, area: str, category: str = "graffiti", *, when: datetime | None = None,
              **extra: Any) -> dict[str, Any]:
    moment = timezone.localtime(when or timezone.now() - timedelta(minutes=10))
    data: dict[str, Any] = {
        "area": world.areas[area].pk,
        "category": world.categories[category].pk,
        "when_date": moment.strftime("%Y-%m-%d"),
        "when_time": moment.strftime("%H:%M"),
        "text": "Nytt klotter på väggen vid tunnelbanans entré.",
        "place": "",
    }
    data.update(extra)
    return data
