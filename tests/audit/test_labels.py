"""Every audit action has a plain-language label (never its raw code), used by the
audit trail's filter and tables."""

from __future__ import annotations

from samverkan.audit.actions import Action
from samverkan.audit.labels import ACTION_LABELS, action_choices, action_label


def test_every_action_has_a_human_label():
    missing = [a.value for a in Action if a not in ACTION_LABELS]
    assert missing == [], f"add a label in audit/labels.py for: {missing}"
    for action in Action:
        label = str(ACTION_LABELS[action])
        assert label and label != action.value and "." not in label and "_" not in label, action
    labels = [str(label) for label in ACTION_LABELS.values()]
    assert len(set(labels)) == len(labels)  # two events never read the same
    assert action_label("auth.login") == "Logged in"
    assert action_label("no.such_action") == "no.such_action"
    assert ("case.viewed", "Case opened") in action_choices()

