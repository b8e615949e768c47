"""Settings shared by every environment.

Values an operator may change come from the environment through samverkan.lib.env,
which fails with one line naming the variable. Nothing security-relevant exists only
in production.py: production adds transport security and refuses demo shortcuts.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from samverkan.lib.database import database_from_url, migration_database
from samverkan.lib.env import (
    env_bool,
    env_choice,
    env_int,
    env_keyring,
    env_list,
    env_str,
    env_url,
    guarded,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("SAMVERKAN_HOME", str(Path.cwd())))
VAR_DIR = BASE_DIR / "var"
# A read-only install (e.g. a container image) is fine when nothing local is written:
# production keeps its data in PostgreSQL and serves collected static files.
with contextlib.suppress(OSError):
    VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = False
# Demo shortcuts (e.g. showing the current TOTP code to fictitious demo users). The
# system check samverkan.accounts.checks refuses to start production with this on.
SAMVERKAN_DEMO_MODE = False
# True only in production.py; demo shortcuts refuse to run where it is set.
SAMVERKAN_PRODUCTION = False

ALLOWED_HOSTS: list[str] = guarded(lambda: env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"]))

DATABASES = {
    "default": guarded(
        lambda: database_from_url(env_str("DATABASE_URL"), default_sqlite=VAR_DIR / "samverkan.sqlite3")
    )
}
# The owner role (PostgreSQL): `samverkan migrate` and `samverkan db grants` connect as it;
# everything else runs as DATABASE_URL's role, which owns nothing (docs/adr/0009).
MIGRATION_DATABASE = guarded(
    lambda: migration_database(env_str("MIGRATION_DATABASE_URL"), runtime=DATABASES["default"])
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "mozilla_django_oidc",
    # Samverkan domain apps
    "samverkan.access",
    "samverkan.audit",
    # Owner and runtime database roles: `migrate` as the owner, `db grants`, start-up check.
    "samverkan.dbroles",
    "samverkan.directory",
    "samverkan.accounts",
    "samverkan.jobs",
    "samverkan.frontend",
    "samverkan.home",
    "samverkan.demo",
    "samverkan.actiongroups",
    "samverkan.rostering",
    "samverkan.public",
    "samverkan.tips",
    "samverkan.people",
    "samverkan.cases",
    "samverkan.consent",
    "samverkan.caseaccess",
    "samverkan.journal",
    "samverkan.plans",
    "samverkan.meetings",
    "samverkan.trefas",
    "samverkan.picture",
    "samverkan.prevention",
    "samverkan.agreement",
    "samverkan.reminders",
    "samverkan.dataprotection",
    "samverkan.logreview",
    "samverkan.followup",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "samverkan.access.middleware.RequestIdMiddleware",
    # Warns once per process if X-Forwarded-For arrives while TRUSTED_PROXY_COUNT=0.
    "samverkan.access.middleware.ForwardedForCheckMiddleware",
    "samverkan.access.middleware.NulCharacterMiddleware",
    # Anonymous public-page GETs answered from a full-response cache (see public/cache.py).
    "samverkan.public.middleware.EarlyPublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samverkan.accounts.middleware.SessionLifetimeMiddleware",
    "samverkan.access.middleware.FailClosedMiddleware",
    "samverkan.public.middleware.StaffLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "samverkan.access.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samverkan.urls"
WSGI_APPLICATION = "samverkan.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "samverkan.frontend.context_processors.shell",
                "samverkan.frontend.context_processors.languages",
            ],
        },
    }
]

# --- Authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out combination never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend that loads the user with their organisation (accounts/backends.py).
    "samverkan.accounts.backends.PasswordBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Set-password links (accounts.views.password.password_set_view) work once and for this long; the
# link leads to choosing the password that, with two-factor enrolment, opens the account.
PASSWORD_RESET_TIMEOUT = guarded(lambda: env_int("PASSWORD_LINK_HOURS", 24, minimum=1)) * 3600
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "frontend:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes). Lockout is per (username, client address) so an
# attacker elsewhere cannot lock a named user out, and it expires after the cool-off,
# so nobody is locked out forever.
AXES_FAILURE_LIMIT = guarded(lambda: env_int("AXES_FAILURE_LIMIT", 5, minimum=1))
AXES_COOLOFF_TIME = guarded(lambda: env_int("AXES_COOLOFF_MINUTES", 15, minimum=1)) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samverkan.accounts.views.login.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Reverse proxies in front of the app that append to X-Forwarded-For (0 = none: only
# REMOTE_ADDR counts, so a client cannot choose the address it is throttled under).
SAMVERKAN_TRUSTED_PROXY_COUNT = guarded(lambda: env_int("TRUSTED_PROXY_COUNT", 0, minimum=0))
AXES_CLIENT_IP_CALLABLE = "samverkan.lib.client_ip.client_ip"
# Successful logins are audited in Samverkan's own trail; axes' access log would keep
# usernames, addresses and browsers indefinitely.
AXES_DISABLE_ACCESS_LOG = True

# Sessions: idle timeout and absolute lifetime (configurable, in minutes).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT_MINUTES = guarded(lambda: env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1))
SESSION_ABSOLUTE_TIMEOUT_MINUTES = guarded(lambda: env_int("SESSION_ABSOLUTE_TIMEOUT_MINUTES", 720, minimum=1))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "samverkan_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Re-authentication before sensitive operations (minutes since the last password+code).
SAMVERKAN_REAUTH_MAX_AGE_MINUTES = guarded(lambda: env_int("REAUTH_MAX_AGE_MINUTES", 10, minimum=1))

OTP_TOTP_ISSUER = "Samverkan"
OTP_TOTP_TOLERANCE = 1
SAMVERKAN_RECOVERY_CODES = 10

# OpenID Connect single sign-on: on when OIDC_RP_CLIENT_ID is set.
OIDC_ENABLED = bool(env_str("OIDC_RP_CLIENT_ID"))
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("samverkan.accounts.oidc.OrganisationOIDCBackend")
    OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = guarded(lambda: env_str("OIDC_RP_CLIENT_SECRET", required=True))
    OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT")
    OIDC_OP_AUTHORIZATION_ENDPOINT = guarded(lambda: env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", required=True))
    OIDC_OP_TOKEN_ENDPOINT = guarded(lambda: env_str("OIDC_OP_TOKEN_ENDPOINT", required=True))
    OIDC_OP_USER_ENDPOINT = guarded(lambda: env_str("OIDC_OP_USER_ENDPOINT", required=True))
    OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
    OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", True)
# The claim whose value is an Organisation.short_code, e.g. "org".
OIDC_ORGANISATION_CLAIM = env_str("OIDC_ORGANISATION_CLAIM", "organisation")
# When true, an IdP that asserts multi-factor authentication ("mfa" in the amr claim)
# satisfies Samverkan's two-factor requirement; otherwise the local TOTP is still asked.
OIDC_TRUST_IDP_MFA = guarded(lambda: env_bool("OIDC_TRUST_IDP_MFA", False))

# --- Internationalisation -----------------------------------------------------
LANGUAGE_CODE = "sv"
# The public pages (samverkan.public, the tip form) speak all of these; the staff pages
# only SAMVERKAN_STAFF_LANGUAGES. "sv-ll" is Easy Swedish (lättläst), see frontend/languages.py.
LANGUAGES = [
    ("sv", _("Swedish")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("so", _("Somali")),
    ("sv-ll", _("Easy Swedish")),
]
SAMVERKAN_STAFF_LANGUAGES = ("sv", "en")
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # remembers the choice; holds only the language code
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "samverkan_language"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security headers -----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Cache: rate-limit counters (keyed hashes, no addresses) and public pages -------
# locmem (per process) by default; production uses Redis at REDIS_URL, through a backend
# that rides out an outage of Redis (samverkan.lib.cache: sessions from the database,
# pages rendered anew, counters refuse).
CACHE_BACKENDS = ("locmem", "redis")
REDIS_CACHE_BACKEND = "samverkan.lib.cache.ResilientRedisCache"
# Connect and read timeout for every Redis connection of the web processes (cache, job
# queue, health check): a dead or unreachable Redis must cost milliseconds, not seconds.
REDIS_TIMEOUT_S = guarded(lambda: env_int("REDIS_TIMEOUT_MS", 500, minimum=10)) / 1000
# After a failure, each process leaves the cache alone for this long before trying again.
CACHE_RETRY_SECONDS = guarded(lambda: env_int("CACHE_RETRY_SECONDS", 10, minimum=1))


def caches_for(
    backend: str, redis_url: str, *, timeout_s: float = 0.5, retry_after_s: float = 10
) -> dict[str, dict[str, object]]:
    if backend == "redis":
        return {"default": {"BACKEND": REDIS_CACHE_BACKEND,
                            "LOCATION": redis_url, "KEY_PREFIX": "samverkan", "TIMEOUT": 300,
                            "OPTIONS": {"socket_connect_timeout": timeout_s,
                                        "socket_timeout": timeout_s,
                                        "retry_after": retry_after_s}}}
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                        "LOCATION": "samverkan", "TIMEOUT": 300}}


CACHES = caches_for(guarded(lambda: env_choice("CACHE_BACKEND", "locmem", CACHE_BACKENDS)),
                    guarded(lambda: env_url("REDIS_URL", "redis://127.0.0.1:6379/0",
                                            schemes=("redis", "rediss", "unix"))),
                    timeout_s=REDIS_TIMEOUT_S, retry_after_s=CACHE_RETRY_SECONDS)

# --- Public pages and the anonymous tip channel (see docs in samverkan/tips) ----------
# Anonymous GETs of the area pages are cached this many seconds per language (0: off).
PUBLIC_PAGE_CACHE_SECONDS = guarded(lambda: env_int("PUBLIC_PAGE_CACHE_SECONDS", 20, minimum=0))
# A map tile URL template such as https://tiles.example.org/{z}/{x}/{y}.png. Empty (the
# default): no map and no request to any other server.
PUBLIC_MAP_TILE_URL = env_str("PUBLIC_MAP_TILE_URL", "")
if PUBLIC_MAP_TILE_URL:
    # The one other origin the browser may then load (map tiles as images).
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(PUBLIC_MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")
# --- Incident reporting (picture) --------------------------------------------------
# The background map of the report form (and the weekly picture): a tile URL template
# such as https://tiles.example.org/{z}/{x}/{y}.png. Empty (the default): the map shows
# the area's named places and the chosen point on a plain background, and the browser
# asks no other server for anything. When set, img-src allows that one origin.
PICTURE_TILE_URL = guarded(lambda: env_url("PICTURE_TILE_URL", "https://", schemes=("https",))
                           if env_str("PICTURE_TILE_URL") else "")
if PICTURE_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit_picture

    _picture_tiles = _urlsplit_picture(PICTURE_TILE_URL)
    _picture_origin = f"{_picture_tiles.scheme}://{_picture_tiles.netloc}"
    if _picture_origin not in CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]:
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_picture_origin)
# The attribution the tile server asks for, shown on the map when tiles are used.
PICTURE_TILE_ATTRIBUTION = env_str("PICTURE_TILE_ATTRIBUTION", "")
# The largest photo a reporter may attach (it is re-encoded without its metadata).
PICTURE_PHOTO_MAX_BYTES = guarded(lambda: env_int("PICTURE_PHOTO_MAX_MB", 5, minimum=1)) * 1024 * 1024
# The share of a full year of incident reports the demo draws (about 20 000 at 1.0). The test
# settings draw a tenth: the same pages and kinds of report, a demo that loads in a third of the time.
DEMO_INCIDENT_SHARE = 1.0
# How long the demo lets the roster engine plan its published roster (seconds; the tests: 2).
DEMO_ROSTER_SECONDS = 6
# How long the roster planner may look for a fairer roster, in seconds (it stops sooner
# once it has proven the best one); coordinators are not asked.
ROSTER_TIME_LIMIT_S = guarded(lambda: env_int("ROSTER_TIME_LIMIT_S", 20, minimum=2))
TIPS_RETENTION_MONTHS = guarded(lambda: env_int("TIPS_RETENTION_MONTHS", 12, minimum=1))
# Tip submissions (and receipt look-ups) per client per window; the client is known only
# by a keyed hash under a random key that lives in the cache for one window.
TIPS_RATE_LIMIT = guarded(lambda: env_int("TIPS_RATE_LIMIT", 5, minimum=1))
TIPS_RATE_WINDOW_SECONDS = guarded(lambda: env_int("TIPS_RATE_WINDOW_SECONDS", 3600, minimum=10))
# The signed form token: a form sent back faster than this is a bot; older is stale.
TIPS_MIN_FILL_SECONDS = guarded(lambda: env_int("TIPS_MIN_FILL_SECONDS", 3, minimum=0))
TIPS_TOKEN_MAX_AGE_SECONDS = guarded(lambda: env_int("TIPS_TOKEN_MAX_AGE_SECONDS", 7200, minimum=60))

# --- E-mail ---------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = guarded(lambda: env_int("EMAIL_PORT", 25, minimum=1))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = guarded(lambda: env_bool("EMAIL_USE_TLS", False))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "samverkan@localhost")
# The address users reach Samverkan at, for links in e-mails (the reminders digest).
SAMVERKAN_BASE_URL = guarded(lambda: env_url("BASE_URL", "http://localhost:8000", schemes=("http", "https")))

# --- Audit trail integrity (docs/adr/0009-audit-integrity-keys-and-roles.md) -------
# Keys that seal every audit entry, the chain head and the checkpoints: (id, secret)
# pairs, the first one current, the rest kept to verify older seals (rotation). From
# AUDIT_KEYS ("id:base64secret,...") or AUDIT_KEYS_FILE (one per line, mode 600); the
# database never sees them. Required in production; test and demo derive one.
AUDIT_KEYS: list[tuple[str, bytes]] = guarded(lambda: env_keyring("AUDIT_KEYS", "AUDIT_KEYS_FILE"))
# Signed checkpoints of the chain head are appended here (and logged to
# samverkan.audit.checkpoint); ship the file or the log off this host. Empty: none.
AUDIT_CHECKPOINT_FILE = env_str("AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.log"))

# --- Background jobs (see docs/adr/0004-background-jobs.md) ------------------------
# "thread": in-process worker thread (embedded default, no extra service)
# "rq": Redis Queue on REDIS_URL, worked by `samverkan worker`
# "sync": run at once in the calling thread (tests)
JOBS_BACKENDS = ("sync", "thread", "rq")
SAMVERKAN_JOBS_BACKEND = guarded(lambda: env_choice("JOBS_BACKEND", "thread", JOBS_BACKENDS))
REDIS_URL = guarded(
    lambda: env_url("REDIS_URL", "redis://127.0.0.1:6379/0", schemes=("redis", "rediss", "unix"))
)
SAMVERKAN_JOBS_QUEUE = env_str("JOBS_QUEUE", "samverkan")

# --- Uploaded documents (action-group outreach): PDF and images up to this size -----
SAMVERKAN_UPLOAD_MAX_BYTES = guarded(lambda: env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1024))

# --- Logging: never personal data; every line carries the request id -------------
# The web server's own access and error logs follow the same rules through the shipped
# configuration (samverkan.gunicorn_conf); tip-channel and token paths are withheld or
# redacted in application lines too (samverkan.lib.log_privacy).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "samverkan.access.middleware.RequestIdLogFilter"},
        "redact_paths": {"()": "samverkan.lib.log_privacy.RedactPathsFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id", "redact_paths"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": guarded(
            lambda: env_choice(
                "LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"), upper=True
            )
        ),
    },
    "loggers": {
        # django.request logs the path of 4xx/5xx responses; paths carry only opaque
        # identifiers (see docs/security-model.md), never names or identity numbers.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "samverkan.frontend.errors.csrf_failure"

# --- Uploads -----------------------------------------------------------------------
MEDIA_ROOT = VAR_DIR / "media"
SAMVERKAN_MAX_UPLOAD_BYTES = guarded(lambda: env_int("MAX_UPLOAD_MB", 10, minimum=1)) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Crime prevention (lag 2023:196): the yearly cycle -----------------------------
# The default due date (month, day) of each step of the yearly cycle picture → plan →
# follow-up, used when a coordinator generates a year's steps for a municipality or a
# district (prevention.services.coordination.cycle_generate). The dates are the city's
# usual rhythm, not the law's: a scope's administrators move a step's date by editing
# the step. Keys are prevention.models.CycleStepKind values.
PREVENTION_CYCLE_DEFAULTS: dict[str, tuple[int, int]] = {
    "picture": (3, 31),  # the lägesbild is updated by 31 March
    "plan": (6, 30),  # the åtgärdsplan is decided by 30 June
    "follow_up": (11, 30),  # measures and the agreement are followed up by 30 November
}
# Steps due within this many days (and overdue ones) are reminders for the scope's
# active coordinators (reminders.selectors.cycle_step_sources).
PREVENTION_CYCLE_REMIND_DAYS = 30
