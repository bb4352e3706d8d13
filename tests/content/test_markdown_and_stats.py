"""Sanitised Markdown, section ids, and the text statistics (LIX) the modules are held to."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content.loader import load_catalog
from trainer.content.markdown import render, slugify
from trainer.content.stats import lix, module_stats, running_text, sentences, words

ROOT = Path(__file__).resolve().parents[2]

PAYLOADS = [
    "<script>alert(1)</script>",
    "[klick](javascript:alert(1))",
    '<img src="x" onerror="alert(1)">',
    "<iframe src='https://evil.example'></iframe>",
    '<a href="#" onclick="alert(1)">x</a>',
    "![spår](https://tracker.example/pixel.png)",
    "<style>body{display:none}</style>",
    "<form action='https://evil.example'><input></form>",
    '<svg onload="alert(1)"></svg>',
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_rendered_markdown_carries_no_script_or_remote_content(payload):
    html = render(payload).lower()
    for bad in (
        "<script",
        "<iframe",
        "<style",
        "<form",
        "<svg",
        "onerror",
        "onclick",
        "onload",
        "javascript:",
        "data:text",
        "tracker.example",
    ):
        assert bad not in html, html


def test_ordinary_markdown_survives_sanitising():
    html = render("Text med **fetstil** och [en länk](https://www.1177.se).\n\n- ett\n- två")
    assert "<strong>fetstil</strong>" in html
    assert 'href="https://www.1177.se"' in html and 'rel="noopener noreferrer"' in html
    assert "<li>ett</li>" in html


def test_local_image_is_served_from_the_course_folder():
    html = render("![Karta](karta.png)", image_base="01-intro")
    assert 'src="/course-files/01-intro/karta.png"' in html


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Vad är ett stödsamtal?", "vad-ar-ett-stodsamtal"),
        ("Självhjälpsprincipen", "sjalvhjalpsprincipen"),
        ("Det här tar du med dig", "det-har-tar-du-med-dig"),
        ("  Idé – och 2 steg!  ", "ide-och-2-steg"),
    ],
)
def test_section_ids_follow_the_documented_rule(heading, expected):
    assert slugify(heading) == expected


def test_lix_matches_hand_computed_examples():
    # 5 words, 2 sentences, 1 long word (springer): 5/2 + 100*1/5 = 22.5
    assert lix("Hunden springer. Katten sover gott.") == pytest.approx(22.5)
    # 7 words, 1 sentence, 3 long words: 7 + 300/7
    assert lix("Utbildningen handlar om våld i nära relationer.") == pytest.approx(7 + 300 / 7)
    assert lix("") == 0.0


def test_list_items_and_headings_count_as_sentences():
    text = running_text("## Rubrik\n\n- första punkten\n- andra punkten\n\nEn mening. En till!")
    assert sentences(text) == 5
    assert words(text)[:2] == ["Rubrik", "första"]


def test_sources_list_is_not_running_text():
    text = running_text(
        "## Sista\n\nSammanfattning.\n\n### Källor\n\n- NCK, Våld i nära relationer"
    )
    assert "NCK" not in text and "Sammanfattning" in text


@pytest.mark.parametrize("module", load_catalog(ROOT / "courses").modules, ids=lambda m: m.slug)
def test_each_module_meets_the_content_numbers(module):
    s = module_stats(module)
    assert 1800 <= s.words <= 3500, s
    assert 4 <= s.sections <= 8, s
    assert s.lix <= 45, s
    q = s.questions
    assert (
        sum(q.values()) >= 10
        and q["single"]
        and q["multiple"]
        and q["truefalse"]
        and q["reflection"]
    ), s
    assert s.options_without_feedback == 0
    assert module.content_note
    last = module.sections[-1]
    assert last.title == "Det här tar du med dig" and "### Källor" in last.markdown


def test_pledge_text_is_versioned():
    pledge = load_catalog(ROOT / "courses").pledge
    assert pledge.title and pledge.version == 1 and len(pledge.markdown.split()) > 100
