"""Production settings: everything from the environment, loud on bad values.

Required: SECRET_KEY (>= 50 characters), DATABASE_URL (PostgreSQL), ALLOWED_HOSTS,
AUDIT_KEYS or AUDIT_KEYS_FILE (each key >= 32 random bytes, base64).
Start-up stops with one line naming the variable when one is missing or malformed.
"""

from samverkan.lib.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_keyring,
    env_list,
    env_str,
    fail,
    guarded,
)

from .base import *
from .base import (
    CACHE_BACKENDS,
    CACHE_RETRY_SECONDS,
    JOBS_BACKENDS,
    REDIS_CACHE_BACKEND,
    REDIS_TIMEOUT_S,
    REDIS_URL,
    caches_for,
)

DEBUG = False
SAMVERKAN_PRODUCTION = True
SAMVERKAN_DEMO_MODE = guarded(lambda: env_bool("SAMVERKAN_DEMO_MODE", False))


def _strong(key: str) -> bool:
    return len(key) >= 50 and len(set(key)) >= 5


def _secret_key() -> str:
    key = env_str("SECRET_KEY", required=True)
    if not _strong(key):
        raise ConfigError("SECRET_KEY is too weak: use at least 50 random characters")
    return key


def _secret_key_fallbacks() -> list[str]:
    """Earlier keys, comma-separated, while a rotation is under way: signed links, sessions
    and recovery codes made with them keep working until the key is dropped from here."""
    keys = env_list("SECRET_KEY_FALLBACKS")
    if not all(_strong(k) for k in keys):
        raise ConfigError("SECRET_KEY_FALLBACKS holds a key that is too weak (each ≥ 50 characters)")
    return keys


SECRET_KEY = guarded(_secret_key)
SECRET_KEY_FALLBACKS = guarded(_secret_key_fallbacks)
# The audit seal keys, never derived from SECRET_KEY here (docs/adr/0009).
AUDIT_KEYS = guarded(lambda: env_keyring("AUDIT_KEYS", "AUDIT_KEYS_FILE", required=True))

if not env_str("DATABASE_URL"):
    fail("DATABASE_URL is not set; production needs e.g. postgres://user@host:5432/samverkan")

if not env_list("ALLOWED_HOSTS"):
    fail("ALLOWED_HOSTS is not set; give the host names the service answers on, comma-separated")

SECURE_SSL_REDIRECT = guarded(lambda: env_bool("SECURE_SSL_REDIRECT", True))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = guarded(lambda: env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = guarded(lambda: env_list("CSRF_TRUSTED_ORIGINS"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SAMVERKAN_JOBS_BACKEND = guarded(lambda: env_choice("JOBS_BACKEND", "rq", JOBS_BACKENDS))
# Rate-limit counters and the public page cache are shared by every worker process.
CACHES = caches_for(
    guarded(lambda: env_choice("CACHE_BACKEND", "redis", CACHE_BACKENDS)),
    REDIS_URL,
    timeout_s=REDIS_TIMEOUT_S,
    retry_after_s=CACHE_RETRY_SECONDS,
)
# The session is read on every request. With the shared Redis cache it is read from
# there and written through to the database (cached_db). While Redis is unreachable the
# cache backend answers "not cached" (samverkan.lib.cache), so sessions are read from and
# written to the database alone. A per-process memory cache is not used for sessions: a
# session ended in one worker would live on in another.
if CACHES["default"]["BACKEND"] == REDIS_CACHE_BACKEND:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
