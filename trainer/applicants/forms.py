from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class InterestForm(FlaskForm):
    name = StringField(
        _l("Namn"),
        validators=[
            DataRequired(_l("Skriv ditt namn.")),
            Length(max=120, message=_l("Namnet får ha högst 120 tecken.")),
        ],
    )
    email = EmailField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Skriv din e-postadress.")),
            Email(_l("Skriv en giltig e-postadress, till exempel namn@exempel.se.")),
            Length(max=254),
        ],
    )
    phone = StringField(
        _l("Telefon (frivilligt)"),
        validators=[
            Optional(),
            Length(max=40, message=_l("Telefonnumret får ha högst 40 tecken.")),
        ],
    )
    interests = MultiCheckboxField(
        _l("Vilka arbetsgrupper verkar intressanta?"), coerce=int, validate_choice=True
    )
    heard_from = StringField(
        _l("Hur hörde du talas om jouren? (frivilligt)"),
        validators=[Optional(), Length(max=200, message=_l("Skriv högst 200 tecken."))],
    )
    motivation = TextAreaField(
        _l("Berätta kort varför du vill bli volontär"),
        validators=[
            DataRequired(_l("Skriv några ord om varför du vill bli volontär.")),
            Length(max=2000, message=_l("Skriv högst 2 000 tecken.")),
        ],
    )
    consent = BooleanField(
        _l(
            "Jag godkänner att jouren sparar mina uppgifter för att kunna kontakta mig om volontärskapet."
        ),
        validators=[DataRequired(_l("Vi behöver ditt godkännande för att spara anmälan."))],
    )


class InviteEmailForm(FlaskForm):
    name = StringField(
        _l("Namn"), validators=[DataRequired(_l("Skriv ett namn.")), Length(max=120)]
    )
    email = EmailField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Skriv en e-postadress.")),
            Email(_l("Skriv en giltig e-postadress.")),
            Length(max=254),
        ],
    )
    role = SelectMultipleField(
        _l("Roller"),
        choices=[
            SelectChoice("volunteer", _l("Volontär")),
            SelectChoice("trainer", _l("Utbildare")),
            SelectChoice("board", _l("Styrelse")),
            SelectChoice("admin", _l("Administratör")),
        ],
        default=["volunteer"],
    )


class ConfirmForm(FlaskForm):
    """An empty form: a button that carries the CSRF token."""
