"""The board's rules: pipeline stage, median waiting time, quiet districts."""

from __future__ import annotations

from datetime import datetime

import pytest

from trainer.board import rules
from trainer.certification import rules as cert

NOW = datetime(2026, 11, 27, 12, 0)


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        (
            {"has_account": False, "started": False, "cert_stage": None, "in_group": False},
            rules.INTEREST,
        ),
        (
            {
                "has_account": True,
                "started": False,
                "cert_stage": cert.IN_TRAINING,
                "in_group": False,
            },
            rules.INVITED,
        ),
        (
            {
                "has_account": True,
                "started": True,
                "cert_stage": cert.IN_TRAINING,
                "in_group": False,
            },
            rules.IN_TRAINING,
        ),
        (
            {
                "has_account": True,
                "started": True,
                "cert_stage": cert.ASKED_TO_REPEAT,
                "in_group": False,
            },
            rules.IN_TRAINING,
        ),
        (
            {"has_account": True, "started": True, "cert_stage": cert.READY, "in_group": False},
            rules.TRAINED,
        ),
        (
            {"has_account": True, "started": True, "cert_stage": cert.CERTIFIED, "in_group": False},
            rules.CERTIFIED,
        ),
        (
            {"has_account": True, "started": True, "cert_stage": cert.EXPIRING, "in_group": True},
            rules.IN_GROUP,
        ),
        (
            {"has_account": True, "started": True, "cert_stage": cert.EXPIRED, "in_group": True},
            rules.IN_TRAINING,
        ),
    ],
)
def test_pipeline_stage(kw, expected):
    assert rules.pipeline_stage(**kw) == expected


def test_median_days():
    d = datetime
    pairs = [
        (d(2026, 1, 1), d(2026, 1, 11)),
        (d(2026, 1, 1), d(2026, 2, 1)),
        (d(2026, 3, 1), d(2026, 3, 5)),
    ]
    assert rules.median_days(pairs) == 10
    assert rules.median_days([]) is None


def test_quiet_districts_six_months():
    last = {
        "Alby": datetime(2026, 10, 1),
        "Fittja": datetime(2026, 5, 26),
        "Tumba": datetime(2026, 5, 28),
    }
    assert rules.quiet_districts(["Alby", "Fittja", "Tumba", "Tullinge"], last, NOW) == [
        "Fittja",
        "Tullinge",
    ]
