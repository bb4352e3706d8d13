"""Markdown → sanitised HTML. Python-Markdown passes raw HTML through, so nh3 cleans the output."""

from __future__ import annotations

import re
import unicodedata

import markdown as md
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"}}
LOCAL_IMAGE_PREFIX = "/course-files/"


def slugify(text: str) -> str:
    """Section id from a heading: lower case, å/ä→a, ö→o, other runs → '-'."""
    text = text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    # Remote images would tell a third party who reads the course and from where.
    if tag == "img" and attr == "src" and not value.startswith(LOCAL_IMAGE_PREFIX):
        return None
    return value


def render(text: str, image_base: str = "") -> str:
    """Render Markdown to HTML that is safe to mark as safe in templates."""
    html = md.markdown(text, extensions=["tables", "sane_lists", "abbr", "def_list"])
    if image_base:
        html = re.sub(
            r'(<img[^>]*\ssrc=")(?!https?:|/)([^"]+)"',
            lambda m: f'{m.group(1)}{LOCAL_IMAGE_PREFIX}{image_base}/{m.group(2)}"',
            html,
        )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )
