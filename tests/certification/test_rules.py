"""Certification rules as pure functions: time is a parameter, never the clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from trainer.certification import rules

T0 = datetime(2026, 1, 31, 12, 0)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31), 1, datetime(2026, 2, 28)),
        (datetime(2026, 1, 15), 24, datetime(2028, 1, 15)),
        (datetime(2027, 2, 28), 12, datetime(2028, 2, 28)),
        (datetime(2028, 2, 29), 12, datetime(2029, 2, 28)),
        (datetime(2026, 11, 30), 3, datetime(2027, 2, 28)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last(start, months, expected):
    assert rules.add_months(start, months) == expected


def test_status_follows_the_dates():
    until = T0 + timedelta(days=365)
    status = lambda now, revoked=None: rules.certification_status(  # noqa: E731
        valid_until=until, revoked_at=revoked, now=now
    )
    assert status(T0) == rules.VALID
    assert status(until - timedelta(days=61)) == rules.VALID
    assert status(until - timedelta(days=60)) == rules.EXPIRING
    assert status(until - timedelta(seconds=1)) == rules.EXPIRING
    assert status(until) == rules.EXPIRED
    assert status(T0, revoked=T0) == rules.REVOKED
    assert status(T0, revoked=T0 + timedelta(days=1)) == rules.VALID  # not yet
    assert status(until + timedelta(days=9), revoked=T0) == rules.REVOKED  # revoked wins


def test_expiring_window_is_configurable():
    until = T0 + timedelta(days=20)
    assert rules.certification_status(valid_until=until, revoked_at=None, now=T0) == rules.EXPIRING
    assert (
        rules.certification_status(valid_until=until, revoked_at=None, now=T0, expiring_days=10)
        == rules.VALID
    )


def test_only_valid_and_expiring_are_current():
    assert [
        s
        for s in (rules.VALID, rules.EXPIRING, rules.EXPIRED, rules.REVOKED)
        if rules.is_current(s)
    ] == [
        rules.VALID,
        rules.EXPIRING,
    ]


def test_readiness_lists_what_is_left():
    r = rules.readiness(
        required=["a", "b", "c"], passed_current={"b"}, pledge_accepted=False, current_status=None
    )
    assert not r.ready and r.missing_modules == ("a", "c") and r.pledge_missing
    r = rules.readiness(
        required=["a"], passed_current={"a"}, pledge_accepted=True, current_status=rules.EXPIRED
    )
    assert r.ready
    r = rules.readiness(
        required=["a"], passed_current={"a"}, pledge_accepted=True, current_status=rules.VALID
    )
    assert not r.ready and r.already_certified


def test_retake_since_only_after_expiry_or_revocation():
    until = T0 + timedelta(days=30)
    assert rules.retake_since(valid_until=None, revoked_at=None, now=T0) is None
    assert rules.retake_since(valid_until=until, revoked_at=None, now=T0) is None
    assert rules.retake_since(valid_until=until, revoked_at=None, now=until) == until
    assert rules.retake_since(valid_until=until, revoked_at=T0, now=T0) == T0


def test_repeat_pending_until_she_passes_again_or_is_certified():
    d = T0
    assert rules.repeat_pending(
        last_decision="repeat",
        decided_at=d,
        last_issued_at=None,
        last_pass_at=d - timedelta(days=1),
    )
    assert not rules.repeat_pending(
        last_decision="repeat",
        decided_at=d,
        last_issued_at=None,
        last_pass_at=d + timedelta(hours=1),
    )
    assert not rules.repeat_pending(
        last_decision="repeat",
        decided_at=d,
        last_issued_at=d + timedelta(days=1),
        last_pass_at=None,
    )
    assert not rules.repeat_pending(
        last_decision="approved", decided_at=d, last_issued_at=None, last_pass_at=None
    )


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (rules.StageFacts(ready=False), rules.IN_TRAINING),
        (rules.StageFacts(ready=True), rules.READY),
        (rules.StageFacts(ready=True, repeat_pending=True), rules.ASKED_TO_REPEAT),
        (rules.StageFacts(ready=False, cert_status=rules.VALID), rules.CERTIFIED),
        (rules.StageFacts(ready=False, cert_status=rules.EXPIRING), rules.EXPIRING),
        (rules.StageFacts(ready=False, cert_status=rules.EXPIRED), rules.EXPIRED),
        (rules.StageFacts(ready=True, cert_status=rules.EXPIRED), rules.READY),
        (rules.StageFacts(ready=False, cert_status=rules.REVOKED), rules.REVOKED),
    ],
)
def test_stage(facts, expected):
    assert rules.stage(facts) == expected
