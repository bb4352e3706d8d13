from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Beslut"),
        choices=[
            SelectChoice("approved", _l("Godkänd")),
            SelectChoice("repeat", _l("Behöver repetera")),
        ],
        validators=[InputRequired(_l("Välj godkänd eller behöver repetera."))],
    )
    comment = TextAreaField(
        _l("Vad behöver hon repetera?"),
        description=_l("Krävs när du väljer behöver repetera. Hon ser texten."),
        validators=[Optional(), Length(max=2000)],
    )
    note = StringField(
        _l("Anteckning (valfri)"),
        description=_l("Till exempel datum för introduktionsträffen."),
        validators=[Optional(), Length(max=500)],
    )


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Varför återkallas certifikatet?"),
        validators=[InputRequired(_l("Skriv ett skäl.")), Length(max=2000)],
    )


class NoteForm(FlaskForm):
    text = TextAreaField(
        _l("Ny anteckning"),
        description=_l("Bara utbildare, styrelse och administratörer ser anteckningarna."),
        validators=[InputRequired(_l("Anteckningen är tom.")), Length(max=2000)],
    )
