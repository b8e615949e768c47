"""The organisation's logo: only a JPEG or PNG (recognised by decoding it with Pillow,
never by its name or the browser's word), at most LOGO_MAX_BYTES, and stored as a PNG
re-encoded from its pixels alone, at most LOGO_MAX_SIZE. SVG is refused: it is a
document that can carry script. Nothing of the uploaded file survives (no metadata,
no text chunks, no colour profile)."""

from __future__ import annotations

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

LOGO_MAX_BYTES = 1024 * 1024
# Wide enough for a header and a letterhead; larger logos are scaled down.
LOGO_MAX_SIZE = (800, 400)
MAX_PIXELS = 25_000_000
ALLOWED_FORMATS = ("PNG", "JPEG")


def logo_reencode(upload: UploadedFile) -> bytes:
    """The uploaded logo as a fresh PNG; ValidationError when it is too large or not a
    JPEG or PNG image."""
    if upload.size is None or upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is larger than %(limit)s. Choose a smaller file.")
            % {"limit": filesizeformat(LOGO_MAX_BYTES)},
            code="too_large",
        )
    not_an_image = ValidationError(
        _("The logo must be a PNG or JPEG image (SVG is not accepted)."), code="format"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as probe:
                if probe.format not in ALLOWED_FORMATS or probe.width * probe.height > MAX_PIXELS:
                    raise not_an_image
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                pixels = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise not_an_image from exc
    pixels.thumbnail(LOGO_MAX_SIZE)
    mode = "RGBA" if pixels.mode in ("RGBA", "LA", "P", "PA") else "RGB"
    pixels = pixels.convert(mode)
    clean = Image.frombytes(mode, pixels.size, pixels.tobytes())
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
