from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from trainer.places.labels import PLACE_KIND_LABELS


class PlaceForm(FlaskForm):
    name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Skriv platsens namn.")), Length(max=120)]
    )
    district_id = SelectField(_l("Kommundel"), coerce=int)
    kind = SelectField(
        _l("Typ av plats"), choices=[SelectChoice(k, v) for k, v in PLACE_KIND_LABELS.items()]
    )


class DistrictForm(FlaskForm):
    name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Skriv kommundelens namn.")), Length(max=80)]
    )


class DistrictEditForm(DistrictForm):
    archived = BooleanField(_l("Arkiverad (visas inte för nya aktiviteter och platser)"))
