"""A Module to and from the JSON stored with each ModuleVersion."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from trainer.content.schema import Module, Option, Question, Section


def to_payload(module: Module) -> dict[str, Any]:
    data = asdict(module)
    data.pop("folder")
    for s in data["sections"]:
        s.pop("markdown")
    return data


def from_payload(data: dict[str, Any]) -> Module:
    return Module(
        slug=data["slug"],
        title=data["title"],
        summary=data["summary"],
        order=data["order"],
        estimated_minutes=data["estimated_minutes"],
        requires=tuple(data["requires"]),
        pass_mark=data["pass_mark"],
        content_note=data["content_note"],
        retake_cooldown_minutes=data["retake_cooldown_minutes"],
        sections=tuple(Section(s["id"], s["title"], "", s["html"]) for s in data["sections"]),
        questions=tuple(
            Question(
                id=q["id"],
                type=q["type"],
                prompt=q["prompt"],
                section=q["section"],
                explanation=q["explanation"],
                options=tuple(Option(o["text"], o["correct"], o["feedback"]) for o in q["options"]),
            )
            for q in data["questions"]
        ),
        content_hash=data["content_hash"],
        folder=Path("."),
    )
