"""Grading as pure functions: from the questions served and the answers given to a result."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainer.content.schema import Question


class BadSubmission(ValueError):
    """The submission does not match the attempt (unknown question, option or field)."""


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    chosen: tuple[int, ...]
    correct: bool | None  # None: a reflection, never graded


@dataclass(frozen=True)
class GradeResult:
    results: tuple[QuestionResult, ...]
    correct: int
    graded: int
    score: float
    passed: bool


def serve(questions: Sequence[Question], rng: random.Random) -> list[dict]:
    """Questions in random order, each with its options shuffled: [{"q": id, "o": [idx…]}]."""
    order = list(questions)
    rng.shuffle(order)
    served = []
    for q in order:
        idx = list(range(len(q.options)))
        if q.type != "truefalse":  # Sant before Falskt reads better
            rng.shuffle(idx)
        served.append({"q": q.id, "o": idx})
    return served


def parse_answers(
    served: Sequence[dict], questions: Mapping[str, Question], form: Mapping[str, list[str]]
) -> tuple[dict[str, tuple[int, ...]], dict[str, str]]:
    """Check a posted form against the attempt and return (choices, reflection texts).

    Only `q-<id>` for served choice questions, `r-<id>` for served reflections and
    `csrf_token` are accepted; anything else, or an option not served, raises BadSubmission.
    """
    served_ids = {s["q"]: s for s in served}
    choices: dict[str, tuple[int, ...]] = {}
    texts: dict[str, str] = {}
    for key, values in form.items():
        if key == "csrf_token":
            continue
        prefix, _, qid = key.partition("-")
        question = questions.get(qid)
        if qid not in served_ids or question is None:
            raise BadSubmission(f"unknown field {key!r}")
        if prefix == "r" and question.type == "reflection":
            if len(values) != 1:
                raise BadSubmission(f"several texts for {qid!r}")
            texts[qid] = values[0].strip()
        elif prefix == "q" and question.type != "reflection":
            try:
                picked = tuple(sorted({int(v) for v in values}))
            except ValueError as e:
                raise BadSubmission(f"option not a number for {qid!r}") from e
            if any(p not in served_ids[qid]["o"] for p in picked):
                raise BadSubmission(f"unknown option for {qid!r}")
            if question.type in ("single", "truefalse") and len(picked) > 1:
                raise BadSubmission(f"several options for single-choice {qid!r}")
            choices[qid] = picked
        else:
            raise BadSubmission(f"unknown field {key!r}")
    return choices, texts


def is_correct(question: Question, chosen: tuple[int, ...]) -> bool:
    """Single and true/false: the one right option. Multiple: exactly the right set."""
    right = {i for i, o in enumerate(question.options) if o.correct}
    return bool(chosen) and set(chosen) == right


def grade(
    served: Sequence[dict],
    questions: Mapping[str, Question],
    choices: Mapping[str, tuple[int, ...]],
    reflections: Mapping[str, str],
    pass_mark: float,
) -> GradeResult:
    """Score the served questions. Unanswered counts as wrong; every reflection must be answered."""
    results = []
    correct = graded = 0
    reflections_done = True
    for item in served:
        q = questions[item["q"]]
        if q.type == "reflection":
            if not reflections.get(q.id, "").strip():
                reflections_done = False
            results.append(QuestionResult(q.id, (), None))
            continue
        chosen = tuple(choices.get(q.id, ()))
        ok = is_correct(q, chosen)
        graded += 1
        correct += ok
        results.append(QuestionResult(q.id, chosen, ok))
    score = correct / graded if graded else 1.0
    # Compare with a small tolerance so 8/10 meets a pass mark of 0.8.
    passed = reflections_done and score + 1e-9 >= pass_mark
    return GradeResult(tuple(results), correct, graded, score, passed)
