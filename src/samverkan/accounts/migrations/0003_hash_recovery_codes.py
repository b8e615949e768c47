"""Recovery codes stored before this migration were kept in clear (django-otp's default);
replace each with its keyed hash, the form accounts.services.recovery_code_digests stores.

A clear code (12345-67890, or a demo code) always contains a hyphen; a stored digest is
16 lower-case hex characters, so a row is hashed at most once."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import migrations
from django.utils.crypto import salted_hmac

_SALT = "samverkan.accounts.recovery-code"  # = accounts.services._RECOVERY_SALT
_DIGEST = re.compile(r"[0-9a-f]{16}")


def _digest(code: str) -> str:
    canonical = "".join(ch for ch in code if ch not in " -\t").lower()
    return salted_hmac(_SALT, canonical, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()[:16]


def hash_clear_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    for token in StaticToken.objects.iterator():
        if not _DIGEST.fullmatch(token.token):
            token.token = _digest(token.token)
            token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_seed_roles"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(hash_clear_codes, migrations.RunPython.noop)]
