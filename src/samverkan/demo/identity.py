"""The demo's organisation identity: an invented municipality (marked fictitious) with a
logo drawn here, so the headers, documents and e-mails of a demo show a themed
installation. Never replaces an identity an administrator saved (is_fictitious False)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from samverkan.directory.models import Identity

DEMO_NAME = "Exempelstad kommun (fiktiv)"
DEMO_COLOUR = "#00594f"  # 8.3:1 against white


def demo_logo_png() -> bytes:
    """A simple shield with three bars: drawn, not copied from any real municipality."""
    image = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    shield = [(20, 10), (140, 10), (140, 90), (80, 150), (20, 90)]
    draw.polygon(shield, fill=(0, 89, 79, 255), outline=(11, 12, 12, 255))
    for i, y in enumerate((35, 60, 85)):
        inset = 38 + i * 8
        draw.rectangle([(inset, y), (160 - inset, y + 12)], fill=(255, 221, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def load_identity() -> bool:
    """Create or refresh the fictitious identity; False when a real one is stored."""
    current = Identity.objects.filter(pk=Identity.SINGLETON_PK).first()
    if current is not None and not current.is_fictitious:
        return False
    identity = current or Identity(pk=Identity.SINGLETON_PK)
    identity.name = DEMO_NAME
    identity.primary_colour = DEMO_COLOUR
    identity.logo_png = demo_logo_png()
    identity.address = "Box 100, 123 45 Exempelstad"
    identity.phone = "08-465 004 00"  # a number set aside for fiction (PTS)
    identity.email = "kontakt@exempelstad.invalid"
    identity.website = "https://exempelstad.invalid"
    identity.is_fictitious = True
    if current is not None:
        identity.version += 1
    identity.full_clean()
    identity.save()
    return True
