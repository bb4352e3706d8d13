"""Text statistics for the modules: words, sentences and LIX (läsbarhetsindex)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from trainer.content.schema import Module

WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*", re.UNICODE)


def running_text(markdown: str) -> str:
    """The prose a reader reads: the Källor list and Markdown markup left out."""
    kept = []
    for line in markdown.splitlines():
        if re.match(r"^#{2,6}\s+Källor\s*$", line.strip(), re.I):
            break
        line = re.sub(r"^\s{0,3}(#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s?)", "", line)
        line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = line.replace("**", "").replace("__", "").replace("*", "").replace("`", "")
        kept.append(line.strip())
    return "\n".join(kept)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def sentences(text: str) -> int:
    """Sentences end at . ! ? : or at the end of a line that holds words (headings, list items)."""
    count = 0
    for line in text.splitlines():
        if not words(line):
            continue
        parts = [p for p in re.split(r"[.!?:]+(?=\s|$)", line) if words(p)]
        count += max(1, len(parts))
    return count


def lix(text: str) -> float:
    """LIX = words per sentence + 100 × (words longer than six letters) / words."""
    ws = words(text)
    if not ws:
        return 0.0
    long_words = sum(1 for w in ws if len(re.sub(r"[-'’]", "", w)) > 6)
    return len(ws) / max(sentences(text), 1) + 100 * long_words / len(ws)


@dataclass(frozen=True)
class ModuleStats:
    slug: str
    words: int
    sections: int
    questions: dict[str, int]
    options_without_feedback: int
    lix: float


def module_stats(module: Module) -> ModuleStats:
    text = running_text("\n\n".join(f"## {s.title}\n\n{s.markdown}" for s in module.sections))
    kinds = Counter(q.type for q in module.questions)
    missing = sum(1 for q in module.questions for o in q.options if not o.feedback.strip())
    return ModuleStats(
        module.slug,
        len(words(text)),
        len(module.sections),
        {k: kinds.get(k, 0) for k in ("single", "multiple", "truefalse", "reflection")},
        missing,
        round(lix(text), 1),
    )
