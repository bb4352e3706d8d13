"""Swedish labels for the codes in rules.py (translated with the catalogue)."""

from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "forelasning": _l("Föreläsning"),
    "skolbesok": _l("Skolbesök"),
    "informationsbord": _l("Informationsbord"),
    "omradesstrateg": _l("Möte med områdesstrateg"),
    "armbandsverkstad": _l("Armbandsverkstad"),
    "tantjour": _l("Tantjour-träff"),
    "sociala-medier": _l("Sociala medier"),
    "annat": _l("Annat"),
}

STATE_LABELS = {
    "draft": _l("Utkast"),
    "submitted": _l("Väntar på styrelsens beslut"),
    "changes_requested": _l("Styrelsen vill ha ändringar"),
    "approved": _l("Godkänd"),
    "rejected": _l("Inte godkänd"),
    "carried_out": _l("Genomförd"),
    "evaluated": _l("Utvärderad"),
    "cancelled": _l("Inställd"),
}

AUDIENCE_LABELS = {
    "members": _l("Gruppens medlemmar"),
    "certified": _l("Alla certifierade volontärer"),
}

DECISION_LABELS = {
    "approve": _l("Godkänn"),
    "request_changes": _l("Be om ändringar"),
    "reject": _l("Godkänn inte"),
}
