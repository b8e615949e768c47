"""`samverkan roster solve|replan|validate` on a small instance."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from samverkan.rostering.models import RosterVersion
from samverkan.rostering.services import rules as rule_services
from tests.actiongroups.helpers import make_experts, make_group, monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(personas, reference):
    g = make_group(personas["city_coord"], positions={"tullverket": 1})
    rule_services.pattern_set(actor=personas["city_coord"], group=g, kind="2x12")
    make_experts(reference["tullverket"], g, 6)
    return g


def test_solve_and_publish_from_the_command_line(group, capsys):
    call_command(
        "roster",
        "solve",
        "--group",
        "husby",
        "--start",
        monday(1).isoformat(),
        "--weeks",
        "1",
        "--time-limit",
        "4",
        "--publish",
    )
    out = capsys.readouterr().out
    assert "0 violations" in out and "published version 1" in out
    version = RosterVersion.objects.get()
    assert version.status == "published" and version.assignments.count() == 14


def test_command_refuses_bad_input(group):
    with pytest.raises(CommandError):
        call_command("roster", "solve", "--group", "nowhere", "--start", "2026-01-05")
    with pytest.raises(CommandError):
        call_command("roster", "solve", "--group", "husby", "--start", "5 Jan")
    with pytest.raises(CommandError):
        call_command(
            "roster",
            "replan",
            "--group",
            "husby",
            "--start",
            monday(1).isoformat(),
            "--weeks",
            "1",
            "--time-limit",
            "2",
        )


def test_progress_bar_on_a_terminal(group, monkeypatch):
    import io
    import sys

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    call_command("roster", "solve", "--group", "husby", "--start", monday(2).isoformat(), "--weeks", "1",
                 "--time-limit", "3")
    text = out.getvalue()
    assert "\r[" in text and "objective" in text and "bound" in text
