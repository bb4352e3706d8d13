"""The course as frozen dataclasses, built by the loader from `courses/`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    id: str
    type: str  # single | multiple | truefalse | reflection
    prompt: str
    section: str
    options: tuple[Option, ...] = ()
    explanation: str = ""

    @property
    def graded(self) -> bool:
        return self.type != "reflection"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    markdown: str
    html: str


@dataclass(frozen=True)
class Module:
    slug: str
    title: str
    summary: str
    order: int
    estimated_minutes: int
    requires: tuple[str, ...]
    pass_mark: float
    content_note: str
    retake_cooldown_minutes: int
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    content_hash: str
    folder: Path = field(compare=False)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Pledge:
    version: int
    title: str
    markdown: str
    html: str


@dataclass(frozen=True)
class Catalog:
    modules: tuple[Module, ...]
    pledge: Pledge | None = None

    def get(self, slug: str) -> Module | None:
        return next((m for m in self.modules if m.slug == slug), None)

    @property
    def slugs(self) -> list[str]:
        return [m.slug for m in self.modules]
