"""WSGI entry point for gunicorn: `gunicorn -c python:samverkan.gunicorn_conf samverkan.wsgi`.

Runs Django's system checks before serving (gunicorn does not), so a configuration
that a check refuses — e.g. demo mode under production settings, or a database role that
could alter the audit trail's guards — never starts. Under gunicorn it also refuses to
start (production) or warns (elsewhere) when the server was started without the privacy
logger of samverkan.gunicorn_conf, which would log every client's address and the tip
channel's requests.
"""

import gc
import os
import sys

from django.conf import settings
from django.core import checks
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
from django.utils import translation

from samverkan.gunicorn_logging import privacy_logger_installed
from samverkan.lib.startup import database_check_refusals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings.production")
application = get_wsgi_application()


def _refuse_serious_check_failures() -> None:

    serious = [str(message) for message in checks.run_checks(include_deployment_checks=False)
               if message.is_serious()]
    # The database checks (the runtime role, samverkan.E020) connect; that connection is
    # closed again before gunicorn forks its workers.
    serious += database_check_refusals()
    if serious:
        for message in serious:
            sys.stderr.write(f"Samverkan refuses to start: {message}\n")
        raise SystemExit(3)


_refuse_serious_check_failures()


def _refuse_gunicorn_without_privacy_logger() -> None:
    if "gunicorn.arbiter" not in sys.modules or privacy_logger_installed():
        return  # another server (or none: a shell, the tests), or the shipped configuration
    message = (
        "gunicorn runs without samverkan.gunicorn_conf, so its logs would keep client "
        "addresses and tip-channel requests; start it with "
        "`gunicorn -c python:samverkan.gunicorn_conf samverkan.wsgi`"
    )
    if settings.SAMVERKAN_PRODUCTION:
        sys.stderr.write(f"Samverkan refuses to start: {message}\n")
        raise SystemExit(3)
    sys.stderr.write(f"Samverkan warning: {message}\n")


_refuse_gunicorn_without_privacy_logger()


def _warm_up() -> None:
    """Load what every worker needs anyway before freezing it (below): the URL maps and
    the message catalogues of every language."""
    get_resolver().reverse_dict  # noqa: B018  (populates the resolver)
    any_text = settings.LANGUAGE_CODE  # a variable, not a literal: not a message to translate
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext(any_text)  # loads the language's catalogues


_warm_up()
# What is loaded now lives as long as the worker: take it out of the garbage collector's
# view, so that the occasional full collection scans only what requests allocate instead
# of the whole of Django (tens of milliseconds per full collection otherwise).
gc.freeze()
