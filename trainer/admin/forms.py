from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from trainer.applicants.forms import MultiCheckboxField

ROLE_LABELS = [("volunteer", _l("Volontär")), ("trainer", _l("Utbildare")), ("board", _l("Styrelse")), ("admin", _l("Administratör"))]


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roller"), choices=ROLE_LABELS)
