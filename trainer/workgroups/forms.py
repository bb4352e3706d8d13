from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from trainer.workgroups.labels import ROLE_LABELS

ROLE_CHOICES = [SelectChoice(k, v) for k, v in ROLE_LABELS.items()]


class GroupForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        validators=[
            DataRequired(_l("Skriv gruppens namn.")),
            Length(max=120, message=_l("Namnet får ha högst 120 tecken.")),
        ],
    )
    purpose = TextAreaField(
        _l("Syfte"),
        description=_l("Vad gruppen ska åstadkomma, med verksamhetsplanens ord."),
        validators=[Optional(), Length(max=4000)],
    )


class PlaceMemberForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int)
    role = RadioField(_l("Roll i gruppen"), choices=ROLE_CHOICES, default="member")


class RoleForm(FlaskForm):
    role = SelectField(_l("Roll i gruppen"), choices=ROLE_CHOICES)
