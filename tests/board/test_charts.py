"""The SVG charts: one bar per value, proportional widths, escaped labels."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from trainer.board.charts import Bar, bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_are_proportional_and_labelled():
    svg = bar_chart([Bar("Alby", 10), Bar("Fittja", 5), Bar("Tumba", 0)], "Aktiviteter per område")
    root = ET.fromstring(str(svg))
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Aktiviteter per område"
    widths = [int(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 3 and widths[0] == 2 * widths[1] and widths[2] == 0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Alby", "10", "Fittja", "5", "Tumba", "0"]


def test_labels_are_escaped():
    svg = str(bar_chart([Bar("<script>alert(1)</script>", 1)], "<b>x</b>"))
    assert "<script>" not in svg and "<b>" not in svg
    ET.fromstring(svg)  # still well-formed


def test_empty_chart_is_valid():
    svg = str(bar_chart([], "Inget"))
    ET.fromstring(svg)
    assert not re.search(r"<rect", svg)
