"""The English catalogue covers every Swedish string in the code and templates, and keeps
their placeholders."""

from __future__ import annotations

import re

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PO = ROOT / "trainer/translations/en/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%%")


def _strings(message) -> list[str]:
    return list(message) if isinstance(message, tuple | list) else [message]


def test_every_string_is_translated_with_the_same_placeholders(tmp_path):
    pot = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            str(ROOT),
        ]
    )
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with PO.open("rb") as f:
        catalog = read_po(f)
    have = {}
    for m in catalog:
        if m.id:
            have[m.id if isinstance(m.id, str) else m.id[0]] = m
    assert len(wanted) > 500  # the extraction found the app's strings
    missing = sorted(w for w in wanted if w not in have or not all(_strings(have[w].string)))
    assert not missing, f"{len(missing)} strings without English: {missing[:10]}"
    for key in wanted:
        m = have[key]
        source = set(PLACEHOLDER.findall(" ".join(_strings(m.id))))
        for text in _strings(m.string):
            assert set(PLACEHOLDER.findall(text)) == source, (m.id, text)
