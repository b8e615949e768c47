"""The ``samverkan`` console command: Django's manage.py for this project.

Defaults to production settings, which refuse to start without SECRET_KEY and
DATABASE_URL; `make demo` and `make test` choose their own settings.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings.production")
    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
