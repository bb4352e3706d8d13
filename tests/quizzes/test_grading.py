"""Grading rules as pure functions: no app, no database."""

from __future__ import annotations

import random

import pytest

from trainer.content.schema import Option, Question
from trainer.quizzes.grading import BadSubmission, grade, is_correct, parse_answers, serve

SINGLE = Question(
    "s",
    "single",
    "?",
    "a",
    (Option("A", True, "f"), Option("B", False, "f"), Option("C", False, "f")),
)
MULTI = Question(
    "m",
    "multiple",
    "?",
    "a",
    (Option("A", True, "f"), Option("B", True, "f"), Option("C", False, "f")),
)
TF = Question("t", "truefalse", "?", "a", (Option("Sant", False, "f"), Option("Falskt", True, "f")))
REFL = Question("r", "reflection", "?", "a")
QUESTIONS = {q.id: q for q in (SINGLE, MULTI, TF, REFL)}
SERVED = [
    {"q": "s", "o": [2, 0, 1]},
    {"q": "m", "o": [1, 2, 0]},
    {"q": "t", "o": [0, 1]},
    {"q": "r", "o": []},
]


def test_multiple_choice_is_all_or_nothing():
    assert is_correct(MULTI, (0, 1))
    assert not is_correct(MULTI, (0,))
    assert not is_correct(MULTI, (0, 1, 2))
    assert not is_correct(SINGLE, ())


def test_score_and_pass_mark():
    result = grade(
        SERVED, QUESTIONS, {"s": (0,), "m": (0, 1), "t": (0,)}, {"r": "Mina tankar"}, 0.66
    )
    assert (result.correct, result.graded) == (2, 3)
    assert result.score == pytest.approx(2 / 3)
    assert result.passed
    assert not grade(SERVED, QUESTIONS, {"s": (0,), "m": (0, 1), "t": (0,)}, {"r": "x"}, 0.8).passed


def test_exact_pass_mark_passes():
    qs = {
        f"q{i}": Question(
            f"q{i}", "single", "?", "a", (Option("A", True, "f"), Option("B", False, "f"))
        )
        for i in range(10)
    }
    served = [{"q": k, "o": [0, 1]} for k in qs]
    choices = {k: (0,) if i < 8 else (1,) for i, k in enumerate(qs)}
    assert grade(served, qs, choices, {}, 0.8).passed


def test_unanswered_reflection_fails_even_with_full_score():
    result = grade(SERVED, QUESTIONS, {"s": (0,), "m": (0, 1), "t": (1,)}, {"r": "  "}, 0.8)
    assert result.score == 1.0 and not result.passed


def test_unanswered_question_counts_as_wrong():
    result = grade(SERVED, QUESTIONS, {"s": (0,)}, {"r": "x"}, 0.5)
    assert result.correct == 1 and not result.passed


def test_parse_accepts_served_fields_only():
    choices, texts = parse_answers(
        SERVED, QUESTIONS, {"csrf_token": ["x"], "q-s": ["0"], "q-m": ["0", "1"], "r-r": [" text "]}
    )
    assert choices == {"s": (0,), "m": (0, 1)} and texts == {"r": "text"}


@pytest.mark.parametrize(
    "form",
    [
        {"score": ["1.0"]},
        {"q-unknown": ["0"]},
        {"q-s": ["7"]},
        {"q-s": ["0", "1"]},
        {"q-s": ["abc"]},
        {"r-s": ["text"]},
        {"q-r": ["0"]},
        {"passed": ["true"]},
    ],
)
def test_tampered_submissions_are_refused(form):
    with pytest.raises(BadSubmission):
        parse_answers(SERVED, QUESTIONS, form)


def test_serve_shuffles_questions_and_options_but_keeps_them_all():
    served = serve(list(QUESTIONS.values()), random.Random(1))
    assert sorted(s["q"] for s in served) == sorted(QUESTIONS)
    for s in served:
        assert sorted(s["o"]) == list(range(len(QUESTIONS[s["q"]].options)))
    orders = {
        tuple(s["q"] for s in serve(list(QUESTIONS.values()), random.Random(seed)))
        for seed in range(20)
    }
    assert len(orders) > 1
