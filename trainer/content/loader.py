"""Read `courses/` into a Catalog, collecting every problem as `file:line: message`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from trainer.content.markdown import render, slugify
from trainer.content.questions import QUESTION_TYPES, build_question
from trainer.content.schema import Catalog, Module, Pledge, Section

FRONT_MATTER_KEYS = {
    "slug",
    "title",
    "summary",
    "order",
    "estimated_minutes",
    "requires",
    "pass_mark",
    "content_note",
    "retake_cooldown_minutes",
}
REQUIRED_KEYS = ("slug", "title", "summary", "order", "estimated_minutes")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FOLDER_RE = re.compile(r"^(\d{2})-([a-z0-9-]+)$")
IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)")
META = {"__line__", "__keylines__"}


@dataclass(frozen=True, order=True)
class CourseProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CourseError(Exception):
    """The course files have problems; `problems` lists every one of them."""

    def __init__(self, problems: list[CourseProblem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that remembers line numbers and refuses duplicate keys."""

    duplicates: list[tuple[int, str]]

    def construct_mapping(self, node, deep=False):
        seen: set[Any] = set()
        for key_node, _v in node.value:
            key = key_node.value
            if key in seen:
                self.duplicates.append((key_node.start_mark.line + 1, f"duplicate key '{key}'"))
            seen.add(key)
        mapping = super().construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        mapping["__keylines__"] = {
            k.value: k.start_mark.line + 1 for k, _v in node.value if isinstance(k, yaml.ScalarNode)
        }
        return mapping


def _parse_yaml(text: str, line_offset: int = 0) -> tuple[Any, list[tuple[int, str]]]:
    loader = _LineLoader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = (mark.line + 1 if mark else 1) + line_offset
        return None, [(line, f"YAML error: {getattr(e, 'problem', None) or e}")]
    finally:
        loader.dispose()
    if line_offset:
        _shift_lines(data, line_offset)
    return data, [(ln + line_offset, msg) for ln, msg in loader.duplicates]


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, dict):
        data["__line__"] = data.get("__line__", 0) + offset
        data["__keylines__"] = {k: v + offset for k, v in data.get("__keylines__", {}).items()}
        for k, v in data.items():
            if k not in META:
                _shift_lines(v, offset)
    elif isinstance(data, list):
        for item in data:
            _shift_lines(item, offset)


def _keyline(spec: dict, key: str) -> int:
    return spec.get("__keylines__", {}).get(key, spec.get("__line__", 1))


def _split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter, body, line number where the body starts)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :]), i + 2
    return None, text, 1


def _split_sections(
    body: str, first_line: int
) -> tuple[list[tuple[str, int, list[str]]], list[tuple[int, str]]]:
    """Split at `## ` headings: [(title, line, body lines)], plus problems."""
    sections: list[tuple[str, int, list[str]]] = []
    problems: list[tuple[int, str]] = []
    in_fence = False
    for n, raw in enumerate(body.splitlines(), first_line):
        if raw.lstrip().startswith("```"):
            in_fence = not in_fence
        if not in_fence and raw.startswith("## "):
            sections.append((raw[3:].strip(), n, []))
        elif sections:
            sections[-1][2].append(raw)
        elif raw.strip():
            problems.append(
                (
                    n,
                    "text before the first '## ' heading; every part of the text belongs to a section",
                )
            )
            break
    return sections, problems


class _Collector:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[CourseProblem] = []

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(CourseProblem(self.rel(path), line, message))


def _check_int(c: _Collector, path: Path, fm: dict, key: str, minimum: int) -> int:
    value = fm.get(key)
    if value is None:
        return minimum
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        c.add(path, _keyline(fm, key), f"'{key}' must be a whole number of at least {minimum}")
        return minimum
    return value


def _load_module(c: _Collector, folder: Path) -> tuple[Module | None, dict]:
    md_path, quiz_path = folder / "module.md", folder / "quiz.yaml"
    if not md_path.is_file():
        c.add(md_path, 1, "module.md is missing")
        return None, {}
    md_bytes = md_path.read_bytes()
    try:
        text = md_bytes.decode("utf-8")
    except UnicodeDecodeError:
        c.add(md_path, 1, "not UTF-8 text")
        return None, {}
    fm_text, body, body_line = _split_front_matter(text)
    if fm_text is None:
        c.add(md_path, 1, "must start with YAML front matter between '---' lines")
        return None, {}
    fm, yaml_problems = _parse_yaml(fm_text, line_offset=1)
    for line, msg in yaml_problems:
        c.add(md_path, line, msg)
    if not isinstance(fm, dict):
        if not yaml_problems:
            c.add(md_path, 2, "front matter must be a mapping of keys to values")
        return None, {}
    before = len(c.problems)
    for key in sorted(set(fm) - FRONT_MATTER_KEYS - META):
        c.add(md_path, _keyline(fm, key), f"unknown key '{key}'")
    for key in REQUIRED_KEYS:
        if fm.get(key) in (None, ""):
            c.add(md_path, fm.get("__line__", 2), f"missing '{key}'")
    slug = fm.get("slug")
    if slug is not None and (not isinstance(slug, str) or not SLUG_RE.match(slug)):
        c.add(md_path, _keyline(fm, "slug"), "'slug' may only hold a-z, 0-9 and '-'")
    m = FOLDER_RE.match(folder.name)
    if not m:
        c.add(
            md_path, 1, f"folder '{folder.name}' must be named NN-slug, e.g. 01-{slug or 'intro'}"
        )
    elif isinstance(slug, str) and m.group(2) != slug:
        c.add(
            md_path,
            _keyline(fm, "slug"),
            f"slug '{slug}' does not match the folder '{folder.name}'",
        )
    order = _check_int(c, md_path, fm, "order", 1)
    minutes = _check_int(c, md_path, fm, "estimated_minutes", 1)
    cooldown = _check_int(c, md_path, fm, "retake_cooldown_minutes", 0)
    pass_mark = fm.get("pass_mark", 0.8)
    if (
        isinstance(pass_mark, bool)
        or not isinstance(pass_mark, int | float)
        or not 0 < pass_mark <= 1
    ):
        c.add(
            md_path, _keyline(fm, "pass_mark"), "'pass_mark' must be a number above 0 and at most 1"
        )
        pass_mark = 0.8
    requires = fm.get("requires") or []
    if not isinstance(requires, list) or not all(isinstance(r, str) for r in requires):
        c.add(md_path, _keyline(fm, "requires"), "'requires' must be a list of module slugs")
        requires = []
    for key in ("title", "summary", "content_note"):
        if fm.get(key) is not None and not isinstance(fm.get(key), str):
            c.add(md_path, _keyline(fm, key), f"'{key}' must be text")

    raw_sections, split_problems = _split_sections(body, body_line)
    for line, msg in split_problems:
        c.add(md_path, line, msg)
    if not raw_sections:
        c.add(md_path, body_line, "no sections: split the text with '## ' headings")
    sections: list[Section] = []
    seen_ids: dict[str, int] = {}
    for title, line, lines in raw_sections:
        sid = slugify(title)
        if not sid:
            c.add(md_path, line, "heading gives an empty section id")
            continue
        if sid in seen_ids:
            c.add(md_path, line, f"duplicate section '{sid}' (also at line {seen_ids[sid]})")
            continue
        seen_ids[sid] = line
        text_md = "\n".join(lines).strip()
        if not text_md:
            c.add(md_path, line, f"section '{title}' is empty")
        for offset, raw in enumerate(lines, 1):
            for target in IMAGE_RE.findall(raw):
                if re.match(r"^[a-z]+:|^//", target, re.I):
                    c.add(
                        md_path,
                        line + offset,
                        f"image '{target}' is not a file beside module.md; remote images are not allowed",
                    )
                elif not (folder / target).resolve().is_file() or ".." in Path(target).parts:
                    c.add(md_path, line + offset, f"broken image link '{target}'")
        sections.append(Section(sid, title, text_md, render(text_md, folder.name)))

    questions, quiz_bytes = _load_quiz(c, quiz_path, set(seen_ids), str(slug))
    if len(c.problems) > before or not isinstance(slug, str):
        return None, fm
    digest = hashlib.sha256()
    digest.update(md_bytes)
    digest.update(b"\0")
    digest.update(quiz_bytes)
    for asset in sorted(folder.iterdir()):
        if asset.name not in ("module.md", "quiz.yaml") and asset.is_file():
            digest.update(asset.name.encode() + b"\0" + asset.read_bytes())
    module = Module(
        slug=slug,
        title=str(fm["title"]).strip(),
        summary=str(fm["summary"]).strip(),
        order=order,
        estimated_minutes=minutes,
        requires=tuple(requires),
        pass_mark=float(pass_mark),
        content_note=str(fm.get("content_note") or "").strip(),
        retake_cooldown_minutes=cooldown,
        sections=tuple(sections),
        questions=tuple(questions),
        content_hash=digest.hexdigest(),
        folder=folder,
    )
    return module, fm


def _load_quiz(c: _Collector, path: Path, section_ids: set[str], slug: str):
    if not path.is_file():
        c.add(path, 1, "quiz.yaml is missing")
        return [], b""
    data_bytes = path.read_bytes()
    data, problems = _parse_yaml(data_bytes.decode("utf-8", errors="replace"))
    for line, msg in problems:
        c.add(path, line, msg)
    if problems:
        return [], data_bytes
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        c.add(path, 1, "quiz.yaml must hold 'questions:' with a list of questions")
        return [], data_bytes
    for key in sorted(set(data) - {"questions"} - META):
        c.add(path, _keyline(data, key), f"unknown key '{key}'")
    questions = []
    seen: dict[str, int] = {}
    if not data["questions"]:
        c.add(path, _keyline(data, "questions"), "the quiz has no questions")
    for spec in data["questions"]:
        if not isinstance(spec, dict):
            c.add(path, _keyline(data, "questions"), "each question must be a mapping")
            continue
        line = spec["__line__"]
        before = len(c.problems)
        qid = spec.get("id")
        if not isinstance(qid, str) or not SLUG_RE.match(qid):
            c.add(path, line, "question needs an 'id' of a-z, 0-9 and '-'")
        elif qid in seen:
            c.add(
                path,
                _keyline(spec, "id"),
                f"duplicate question id '{qid}' (also at line {seen[qid]})",
            )
        else:
            seen[qid] = line
        kind = QUESTION_TYPES.get(spec.get("type"))
        if kind is None:
            c.add(
                path,
                _keyline(spec, "type"),
                f"unknown question type '{spec.get('type')}'; use single, multiple, truefalse or reflection",
            )
            continue
        for key in sorted(set(spec) - kind.keys - META):
            c.add(path, _keyline(spec, key), f"unknown key '{key}' for a {spec['type']} question")
        if not isinstance(spec.get("prompt"), str) or not spec["prompt"].strip():
            c.add(path, line, "question has no 'prompt'")
        if spec.get("section") not in section_ids:
            c.add(
                path,
                _keyline(spec, "section"),
                f"'section: {spec.get('section')}' names no section of module '{slug}'",
            )
        for pline, msg in kind.validate(spec):
            c.add(path, pline, msg)
        if len(c.problems) == before:
            questions.append(build_question(spec))
    return questions, data_bytes


def _load_pledge(c: _Collector, path: Path) -> Pledge | None:
    text = path.read_text(encoding="utf-8")
    fm_text, body, _line = _split_front_matter(text)
    fm, problems = _parse_yaml(fm_text or "", line_offset=1)
    for line, msg in problems:
        c.add(path, line, msg)
    if not isinstance(fm, dict):
        c.add(path, 1, "pledge.md must start with front matter holding 'version' and 'title'")
        return None
    version = fm.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        c.add(path, _keyline(fm, "version"), "'version' must be a whole number of at least 1")
        return None
    if not body.strip():
        c.add(path, 1, "the pledge has no text")
        return None
    return Pledge(version, str(fm.get("title") or "Tystnadslöfte"), body.strip(), render(body))


def _check_requires(
    c: _Collector, modules: list[Module], fms: dict[str, tuple[Path, dict]]
) -> None:
    slugs = {m.slug for m in modules} | set(fms)
    graph = {}
    for slug, (path, fm) in fms.items():
        reqs = fm.get("requires") or []
        if not isinstance(reqs, list):
            continue
        graph[slug] = [r for r in reqs if isinstance(r, str)]
        for r in graph[slug]:
            if r not in slugs:
                c.add(path, _keyline(fm, "requires"), f"requires unknown module '{r}'")
            if r == slug:
                c.add(path, _keyline(fm, "requires"), "a module cannot require itself")
    # Depth-first search for cycles.
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, []):
            if nxt == node or nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt) :] + [nxt] if nxt in trail else [node, nxt]
                path, fm = fms[node]
                c.add(path, _keyline(fm, "requires"), "requires form a cycle: " + " → ".join(cycle))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def load_catalog(root: Path) -> Catalog:
    """Load and validate every module under `root`; raise CourseError listing all problems."""
    c = _Collector(root)
    if not root.is_dir():
        c.add(root, 1, "course folder not found")
        raise CourseError(c.problems)
    modules: list[Module] = []
    fms: dict[str, tuple[Path, dict]] = {}
    for folder in sorted(
        p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
    ):
        module, fm = _load_module(c, folder)
        slug = fm.get("slug") if isinstance(fm, dict) else None
        if isinstance(slug, str):
            if slug in fms:
                c.add(
                    folder / "module.md",
                    _keyline(fm, "slug"),
                    f"slug '{slug}' is used by two modules",
                )
            else:
                fms[slug] = (folder / "module.md", fm)
        if module:
            modules.append(module)
    _check_requires(c, modules, fms)
    pledge = None
    if (root / "pledge.md").is_file():
        pledge = _load_pledge(c, root / "pledge.md")
    if not fms and not c.problems:
        c.add(root, 1, "no modules found (expected folders like 01-intro/module.md)")
    if c.problems:
        raise CourseError(c.problems)
    modules.sort(key=lambda m: (m.order, m.slug))
    return Catalog(tuple(modules), pledge)
