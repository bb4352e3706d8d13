"""CSV for Swedish Excel: BOM, semicolons, Swedish dates, formulas neutralised."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest

from trainer.exports import cell, csv_text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+46 70 123", "'+46 70 123"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindrag", "'\tindrag"),
        ("Åsa Öberg", "Åsa Öberg"),
        (None, ""),
        (True, "ja"),
        (7, "7"),
        (0.5, "0,50"),
        (date(2026, 3, 2), "2026-03-02"),
        (datetime(2026, 7, 1, 10, 0), "2026-07-01 12:00"),  # UTC stored, Stockholm shown
    ],
)
def test_cell(value, expected):
    assert cell(value) == expected


def test_csv_text_opens_in_swedish_excel():
    text = csv_text(["Namn", "Kommentar"], [["Åsa", 'semikolon; och "citat"'], ["=1+1", ""]])
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows == [["Namn", "Kommentar"], ["Åsa", 'semikolon; och "citat"'], ["'=1+1", ""]]
