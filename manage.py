#!/usr/bin/env python
"""Developer entry point; defaults to the demo settings. Operators use `samverkan`."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.settings.demo")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
