from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from trainer.applicants.forms import MultiCheckboxField

ROLE_LABELS = [
    SelectChoice("volunteer", _l("Volontär")),
    SelectChoice("trainer", _l("Utbildare")),
    SelectChoice("board", _l("Styrelse")),
    SelectChoice("admin", _l("Administratör")),
]


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roller"), choices=ROLE_LABELS)
