"""Module states and retake timing as pure functions."""

from datetime import datetime, timedelta

from trainer.learning import rules
from trainer.learning.rules import ModuleStatus

NOW = datetime(2026, 3, 1, 12, 0)


def state(**kw):
    base = dict(requires=(), passed=set(), has_pass=False, sections_read=0, sections_total=4)
    base.update(kw)
    return rules.module_state(**base)


def test_states_in_order():
    assert state(requires=("intro",)) == rules.LOCKED
    assert state(requires=("intro",), passed={"intro"}) == rules.NOT_STARTED
    assert state(sections_read=2) == rules.READING
    assert state(sections_read=4) == rules.QUIZ_OPEN
    assert state(sections_read=4, has_pass=True) == rules.PASSED


def test_retake_wait():
    assert rules.retake_wait(None, 10, NOW) == timedelta(0)
    assert rules.retake_wait(NOW - timedelta(minutes=4), 10, NOW) == timedelta(minutes=6)
    assert rules.retake_wait(NOW - timedelta(minutes=11), 10, NOW) == timedelta(0)
    assert rules.retake_wait(NOW, 0, NOW) == timedelta(0)


def _status(slug, st):
    return ModuleStatus(slug, slug, "", 5, st, 0, 4)


def test_resume_goes_to_most_recently_touched_unfinished_module():
    statuses = [
        _status("a", rules.PASSED),
        _status("b", rules.READING),
        _status("c", rules.NOT_STARTED),
    ]
    touched = {"a": NOW, "b": NOW - timedelta(days=2), "c": NOW - timedelta(days=1)}
    assert rules.resume_target(statuses, touched).slug == "c"
    assert rules.resume_target(statuses, {}).slug == "b"
    assert rules.resume_target([_status("a", rules.PASSED)], {}) is None
