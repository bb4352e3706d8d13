"""Swedish labels for membership roles and states."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {"lead": _l("Sammankallande"), "member": _l("Medlem")}
