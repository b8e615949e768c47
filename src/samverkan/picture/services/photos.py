"""A report's photo: only JPEG or PNG (checked by decoding it with Pillow, never by the
file name or the browser's content type), no larger than PICTURE_PHOTO_MAX_BYTES, and
re-encoded from its pixels so that nothing of the original file survives — no EXIF, no
GPS position, no camera serial, no comment. The stored name is random; the file lives
under MEDIA_ROOT and is served only by the access-checked view picture:report_photo.
"""

from __future__ import annotations

import io
import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png")}
# A photo is shown on a phone or a meeting's screen: larger sides are scaled down.
MAX_SIDE = 2560
# Refuse "decompression bombs" well before Pillow's own limit.
MAX_PIXELS = 50_000_000
CONTENT_TYPES = {ext: content_type for ext, content_type in ALLOWED_FORMATS.values()}


@dataclass(frozen=True)
class PreparedPhoto:
    content: ContentFile[bytes]
    name: str  # random, e.g. "5f0c….jpg"


def photo_prepare(upload: UploadedFile) -> PreparedPhoto:
    """Check and re-encode an uploaded photo; ValidationError({"photo": …}) when it is too
    large, not a JPEG or PNG image, or cannot be read."""
    limit = settings.PICTURE_PHOTO_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError({"photo": ValidationError(
            _("The photo is larger than %(limit)s. Choose a smaller one or take a new photo.")
            % {"limit": filesizeformat(limit)}, code="too_large")})
    not_an_image = ValidationError({"photo": ValidationError(
        _("The photo must be a JPEG or PNG image."), code="format")})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format not in ALLOWED_FORMATS:
                    raise not_an_image
                if probe.width * probe.height > MAX_PIXELS:
                    raise not_an_image
                probe.verify()  # a truncated or corrupt file fails here
            upload.seek(0)
            with Image.open(upload) as image:
                fmt = image.format or ""
                image.load()
                pixels = ImageOps.exif_transpose(image)  # keep the photo upright without its EXIF
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise not_an_image from exc
    pixels.thumbnail((MAX_SIDE, MAX_SIDE))
    extension, _content_type = ALLOWED_FORMATS[fmt]
    if fmt == "JPEG":
        mode = pixels.mode if pixels.mode in ("RGB", "L") else "RGB"
    else:
        mode = pixels.mode if pixels.mode in ("RGB", "RGBA", "L", "LA") else "RGBA"
    pixels = pixels.convert(mode)
    # A fresh image from the pixels alone: no info, EXIF, ICC profile or text chunk of
    # the original can ride along into the saved file.
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    if fmt == "JPEG":
        clean.save(out, format="JPEG", quality=85, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return PreparedPhoto(content=ContentFile(out.getvalue()), name=f"{uuid.uuid4().hex}.{extension}")


def photo_content_type(name: str) -> str:
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
