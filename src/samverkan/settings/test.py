"""Settings for the test suite: SQLite in memory unless DATABASE_URL names PostgreSQL."""

import os

from samverkan.audit.seal import derived_key

from .base import *
from .base import DATABASES

DEBUG = False
SECRET_KEY = "test-only-secret-key-" + "t" * 40
# A fixed audit key derived from SECRET_KEY; tests of rotation override AUDIT_KEYS.
AUDIT_KEYS = [derived_key(SECRET_KEY, "test")]
# No checkpoint file by default: tests/conftest.py gives every test a fresh one.
AUDIT_CHECKPOINT_FILE = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
SAMVERKAN_JOBS_BACKEND = os.environ.get("JOBS_BACKEND", "sync")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in-memory test database
AXES_FAILURE_LIMIT = 5
# Serve static files from the apps' folders (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests assert English msgids; tests of the Swedish default override LANGUAGE_CODE = "sv".
LANGUAGE_CODE = "en"
DEMO_INCIDENT_SHARE = 0.1  # base.py: a tenth of the demo's year of incident reports
DEMO_ROSTER_SECONDS = 2  # base.py: the demo's roster, feasible well within it
