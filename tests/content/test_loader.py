"""The course loader: the real courses load; each kind of mistake is reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer.content.loader import CourseError, load_catalog

ROOT = Path(__file__).resolve().parents[2]

MODULE = """---
slug: intro
title: Intro
summary: En kort modul.
order: 1
estimated_minutes: 5
requires: []
pass_mark: 0.8
content_note: Modulen beskriver våld.
---

## Första avsnittet

Lite text.

## Andra avsnittet

Mer text.
"""

QUIZ = """questions:
  - id: q-single
    type: single
    prompt: Vilket stämmer?
    section: forsta-avsnittet
    options:
      - text: Det här
        correct: true
        feedback: Ja.
      - text: Det där
        correct: false
        feedback: Nej.
  - id: q-multi
    type: multiple
    prompt: Vilka stämmer?
    section: andra-avsnittet
    options:
      - text: A
        correct: true
        feedback: Ja.
      - text: B
        correct: true
        feedback: Ja.
      - text: C
        correct: false
        feedback: Nej.
  - id: q-tf
    type: truefalse
    prompt: Sant eller falskt?
    section: forsta-avsnittet
    answer: false
    feedback_true: Nej.
    feedback_false: Ja.
  - id: q-refl
    type: reflection
    prompt: Vad tänker du?
    section: andra-avsnittet
"""

SECOND = (
    MODULE.replace("slug: intro", "slug: second")
    .replace("order: 1", "order: 2")
    .replace("requires: []", "requires: [intro]")
)


def write_course(
    root: Path,
    module: str = MODULE,
    quiz: str = QUIZ,
    folder: str = "01-intro",
    extra: dict[str, tuple[str, str]] | None = None,
) -> Path:
    mods = {folder: (module, quiz), **(extra or {})}
    for name, (m, q) in mods.items():
        d = root / name
        d.mkdir(parents=True, exist_ok=True)
        (d / "module.md").write_text(m, encoding="utf-8")
        if q is not None:
            (d / "quiz.yaml").write_text(q, encoding="utf-8")
    return root


def problems(root: Path) -> list[tuple[str, int, str]]:
    with pytest.raises(CourseError) as info:
        load_catalog(root)
    return [(p.path, p.line, p.message) for p in info.value.problems]


def test_real_courses_load_with_six_modules_in_order():
    catalog = load_catalog(ROOT / "courses")
    assert catalog.slugs == [
        "introduktion",
        "normaliseringsprocessen",
        "traumatiska-bandet",
        "varningssignaler",
        "hedersrelaterat-vald",
        "sarskild-sarbarhet",
    ]
    assert catalog.pledge is not None and catalog.pledge.version >= 1


def test_valid_fixture_course_loads(tmp_path):
    catalog = load_catalog(write_course(tmp_path))
    module = catalog.get("intro")
    assert [s.id for s in module.sections] == ["forsta-avsnittet", "andra-avsnittet"]
    assert [q.type for q in module.questions] == ["single", "multiple", "truefalse", "reflection"]
    tf = module.question("q-tf")
    assert [(o.text, o.correct) for o in tf.options] == [("Sant", False), ("Falskt", True)]
    assert module.content_note == "Modulen beskriver våld."


@pytest.mark.parametrize(
    ("module", "quiz", "file", "line", "message"),
    [
        (
            MODULE.replace("order: 1", "order: 1\ncolour: red"),
            QUIZ,
            "module.md",
            6,
            "unknown key 'colour'",
        ),
        (
            MODULE.replace("pass_mark: 0.8", "pass_mark: 1.5"),
            QUIZ,
            "module.md",
            8,
            "'pass_mark' must be",
        ),
        (
            MODULE.replace("requires: []", "requires: [nowhere]"),
            QUIZ,
            "module.md",
            7,
            "requires unknown module 'nowhere'",
        ),
        (
            MODULE.replace("Mer text.", ""),
            QUIZ,
            "module.md",
            16,
            "section 'Andra avsnittet' is empty",
        ),
        (
            MODULE.replace("Lite text.", "Lite text. ![bild](saknas.png)"),
            QUIZ,
            "module.md",
            14,
            "broken image link 'saknas.png'",
        ),
        (
            MODULE.replace("Lite text.", "![x](https://example.com/a.png)"),
            QUIZ,
            "module.md",
            14,
            "remote images are not allowed",
        ),
        (
            MODULE.replace(
                "\n## Första avsnittet", "Inledning utan rubrik.\n\n## Första avsnittet"
            ),
            QUIZ,
            "module.md",
            11,
            "text before the first",
        ),
        (
            MODULE.replace("## Andra avsnittet", "## Första avsnittet"),
            QUIZ,
            "module.md",
            16,
            "duplicate section",
        ),
        (MODULE.replace("title: Intro\n", ""), QUIZ, "module.md", 2, "missing 'title'"),
        (
            MODULE,
            QUIZ.replace("id: q-multi", "id: q-single"),
            "quiz.yaml",
            13,
            "duplicate question id 'q-single'",
        ),
        (
            MODULE,
            QUIZ.replace(
                "        correct: false\n        feedback: Nej.\n  - id: q-multi",
                "        correct: true\n        feedback: Nej.\n  - id: q-multi",
            ),
            "quiz.yaml",
            6,
            "exactly one correct option, has 2",
        ),
        (
            MODULE,
            QUIZ.replace(
                "      - text: Det där\n        correct: false\n",
                "      - text: Det där\n        correct: false\n        feedback: ''\n",
                1,
            ).replace("        feedback: ''\n        feedback: Nej.\n", "        feedback: ''\n"),
            "quiz.yaml",
            10,
            "option 2 has no feedback",
        ),
        (
            MODULE,
            QUIZ.replace("type: truefalse", "type: essay"),
            "quiz.yaml",
            28,
            "unknown question type 'essay'",
        ),
        (
            MODULE,
            QUIZ.replace("section: andra-avsnittet\n    options", "section: tredje\n    options"),
            "quiz.yaml",
            16,
            "names no section",
        ),
        (
            MODULE,
            QUIZ.replace("    prompt: Vad tänker du?", "    prompt: Vad tänker du?\n    hint: x"),
            "quiz.yaml",
            37,
            "unknown key 'hint'",
        ),
        (
            MODULE,
            QUIZ.replace("answer: false", "answer: kanske"),
            "quiz.yaml",
            31,
            "true/false question needs",
        ),
        (MODULE, "questions: [\n", "quiz.yaml", 2, "YAML error"),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(tmp_path, module, quiz, file, line, message):
    found = problems(write_course(tmp_path, module, quiz))
    assert any(
        p == f"{tmp_path.name}/01-intro/{file}" and ln == line and message in msg
        for p, ln, msg in found
    ), found


def test_requires_cycle_is_reported(tmp_path):
    first = MODULE.replace("requires: []", "requires: [second]")
    root = write_course(tmp_path, first, extra={"02-second": (SECOND, QUIZ)})
    found = problems(root)
    assert any("cycle" in msg and ln == 7 for _p, ln, msg in found), found


def test_missing_quiz_file_is_reported(tmp_path):
    found = problems(write_course(tmp_path, quiz=None))
    assert (f"{tmp_path.name}/01-intro/quiz.yaml", 1, "quiz.yaml is missing") in found


def test_every_problem_is_reported_at_once(tmp_path):
    bad_module = MODULE.replace("order: 1", "order: 1\ncolour: red").replace(
        "pass_mark: 0.8", "pass_mark: 0"
    )
    bad_quiz = QUIZ.replace("type: truefalse", "type: essay").replace("id: q-multi", "id: q-single")
    found = problems(write_course(tmp_path, bad_module, bad_quiz))
    messages = " | ".join(m for _p, _l, m in found)
    for expected in (
        "unknown key 'colour'",
        "'pass_mark'",
        "unknown question type",
        "duplicate question id",
    ):
        assert expected in messages


def test_content_hash_changes_with_the_text(tmp_path):
    a = load_catalog(write_course(tmp_path / "a")).get("intro").content_hash
    b = (
        load_catalog(write_course(tmp_path / "b", MODULE.replace("Lite text.", "Lite annan text.")))
        .get("intro")
        .content_hash
    )
    c = load_catalog(write_course(tmp_path / "c")).get("intro").content_hash
    assert a != b and a == c


def test_cli_check_lists_problems_and_fails(tmp_path):
    from click.testing import CliRunner

    from trainer.content.cli import courses

    root = write_course(tmp_path, MODULE.replace("order: 1", "order: 1\ncolour: red"))
    result = CliRunner().invoke(courses, ["check", str(root)])
    assert result.exit_code == 1
    assert f"{tmp_path.name}/01-intro/module.md:6: unknown key 'colour'" in result.output
    ok = CliRunner().invoke(courses, ["check", str(ROOT / "courses")])
    assert ok.exit_code == 0 and "6 modules" in ok.output


def test_app_refuses_to_start_with_a_broken_course(tmp_path):
    from trainer import create_app

    root = write_course(tmp_path / "courses", MODULE.replace("order: 1", "order: 1\ncolour: red"))
    with pytest.raises(SystemExit) as info:
        create_app({"COURSES_PATH": str(root), "INSTANCE_PATH": str(tmp_path / "i")})
    assert "module.md:6: unknown key 'colour'" in str(info.value)
