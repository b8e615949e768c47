"""Settings for `make demo`: SQLite, console e-mail, in-process jobs, demo shortcuts.

Never use these settings for real data: SAMVERKAN_DEMO_MODE shows demo users their
current one-time code, and the production settings refuse to start with it.
"""

from samverkan.audit.seal import derived_key

from .base import *
from .base import AUDIT_KEYS, VAR_DIR, env_str

DEBUG = env_str("DEBUG", "0") == "1"
SAMVERKAN_DEMO_MODE = True
SECRET_KEY = env_str("SECRET_KEY", "demo-only-not-secret-" + "x" * 40)
# AUDIT_KEYS / AUDIT_KEYS_FILE when given, else a key derived from SECRET_KEY (demo only).
AUDIT_KEYS = AUDIT_KEYS or [derived_key(SECRET_KEY, "demo")]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(VAR_DIR / "mail")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
