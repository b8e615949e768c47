"""WSGI entry point for gunicorn: `gunicorn samverkan.wsgi`.

Runs Django's system checks before serving (gunicorn does not), so a configuration
that a check refuses — e.g. demo mode under production settings — never starts.
"""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings.production")
application = get_wsgi_application()


def _refuse_serious_check_failures() -> None:
    from django.core import checks

    serious = [message for message in checks.run_checks(include_deployment_checks=False) if message.is_serious()]
    if serious:
        for message in serious:
            sys.stderr.write(f"Samverkan refuses to start: {message}\n")
        raise SystemExit(3)


_refuse_serious_check_failures()
