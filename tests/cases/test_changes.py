"""cases.changes: listeners hear of a changed case at once, or once per case at the end
of changes_batched() (and not at all when the batch fails)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from samverkan.cases import changes


@pytest.fixture
def heard(monkeypatch):
    calls: list[int] = []
    monkeypatch.setattr(changes, "_LISTENERS", {"test": lambda case: calls.append(case.pk)})
    return calls


def test_a_change_is_heard_at_once(heard):
    changes.case_changed(SimpleNamespace(pk=1))
    assert heard == [1]


def test_a_batch_tells_each_changed_case_once_at_its_end(heard):
    with changes.changes_batched():
        for pk in (1, 2, 1, 1, 2):
            changes.case_changed(SimpleNamespace(pk=pk))
        with changes.changes_batched():  # joins the outer batch
            changes.case_changed(SimpleNamespace(pk=3))
        assert heard == []
    assert heard == [1, 2, 3]
    changes.case_changed(SimpleNamespace(pk=4))  # after the batch: at once again
    assert heard == [1, 2, 3, 4]


def test_a_failed_batch_tells_nobody(heard):
    with pytest.raises(RuntimeError), changes.changes_batched():
        changes.case_changed(SimpleNamespace(pk=1))
        raise RuntimeError("the loader failed")
    assert heard == []
