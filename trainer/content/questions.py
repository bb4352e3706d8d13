"""Question types: each knows its keys, how to validate a spec and how to build a Question."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from trainer.content.schema import Option, Question

Problem = tuple[int, str]  # (line, message)

COMMON_KEYS = {"id", "type", "prompt", "section", "explanation"}
OPTION_KEYS = {"text", "correct", "feedback"}


def _line(spec: dict, key: str | None = None) -> int:
    if key and key in spec.get("__keylines__", {}):
        return spec["__keylines__"][key]
    return spec.get("__line__", 1)


def _text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _validate_options(spec: dict, *, exactly_one: bool) -> list[Problem]:
    problems: list[Problem] = []
    options = spec.get("options")
    if not isinstance(options, list) or len(options) < 2:
        return [(_line(spec, "options"), "needs a list 'options' with at least two options")]
    for n, opt in enumerate(options, 1):
        if not isinstance(opt, dict):
            problems.append((_line(spec, "options"), f"option {n} must be a mapping"))
            continue
        for key in sorted(set(opt) - OPTION_KEYS - {"__line__", "__keylines__"}):
            problems.append((_line(opt, key), f"option {n}: unknown key '{key}'"))
        if not _text(opt.get("text")):
            problems.append((_line(opt), f"option {n} has no text"))
        if not isinstance(opt.get("correct"), bool):
            problems.append((_line(opt), f"option {n}: 'correct' must be true or false"))
        if not _text(opt.get("feedback")):
            problems.append((_line(opt), f"option {n} has no feedback"))
    correct = sum(1 for o in options if isinstance(o, dict) and o.get("correct") is True)
    if exactly_one and correct != 1:
        problems.append(
            (
                _line(spec, "options"),
                f"single-choice question needs exactly one correct option, has {correct}",
            )
        )
    if not exactly_one and correct < 1:
        problems.append((_line(spec, "options"), "multiple-choice question has no correct option"))
    return problems


def _build_options(spec: dict) -> tuple[Option, ...]:
    return tuple(
        Option(text=o["text"].strip(), correct=o["correct"], feedback=o["feedback"].strip())
        for o in spec["options"]
    )


@dataclass(frozen=True)
class QuestionType:
    keys: frozenset[str]
    validate: Callable[[dict], list[Problem]]
    options: Callable[[dict], tuple[Option, ...]]


def _validate_truefalse(spec: dict) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(spec.get("answer"), bool):
        problems.append(
            (_line(spec, "answer"), "true/false question needs 'answer: true' or 'answer: false'")
        )
    for key in ("feedback_true", "feedback_false"):
        if not _text(spec.get(key)):
            problems.append((_line(spec), f"true/false question has no '{key}'"))
    return problems


def _truefalse_options(spec: dict) -> tuple[Option, ...]:
    return (
        Option(text="Sant", correct=spec["answer"] is True, feedback=spec["feedback_true"].strip()),
        Option(
            text="Falskt", correct=spec["answer"] is False, feedback=spec["feedback_false"].strip()
        ),
    )


def _validate_reflection(spec: dict) -> list[Problem]:
    return []


QUESTION_TYPES: dict[str, QuestionType] = {
    "single": QuestionType(
        frozenset(COMMON_KEYS | {"options"}),
        lambda s: _validate_options(s, exactly_one=True),
        _build_options,
    ),
    "multiple": QuestionType(
        frozenset(COMMON_KEYS | {"options"}),
        lambda s: _validate_options(s, exactly_one=False),
        _build_options,
    ),
    "truefalse": QuestionType(
        frozenset(COMMON_KEYS | {"answer", "feedback_true", "feedback_false"}),
        _validate_truefalse,
        _truefalse_options,
    ),
    "reflection": QuestionType(frozenset(COMMON_KEYS), _validate_reflection, lambda s: ()),
}


def build_question(spec: dict) -> Question:
    """Build a Question from a spec that has already passed validation."""
    kind = QUESTION_TYPES[spec["type"]]
    return Question(
        id=spec["id"],
        type=spec["type"],
        prompt=str(spec["prompt"]).strip(),
        section=spec["section"],
        options=kind.options(spec),
        explanation=str(spec.get("explanation") or "").strip(),
    )
