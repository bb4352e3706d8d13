from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from trainer.auth.passwords import MAX_LENGTH, MIN_LENGTH


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[DataRequired(_l("Skriv din e-postadress.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Lösenord"),
        validators=[DataRequired(_l("Skriv ditt lösenord.")), Length(max=MAX_LENGTH)],
    )
    remember = BooleanField(_l("Kom ihåg mig på den här enheten"))


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("E-postadress"),
        validators=[
            DataRequired(_l("Skriv din e-postadress.")),
            Email(_l("Skriv en giltig e-postadress.")),
            Length(max=254),
        ],
    )


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("Nytt lösenord"),
        description=_l(
            "Minst %(n)d tecken. Några ord i rad är lätt att minnas och svårt att gissa.",
            n=MIN_LENGTH,
        ),
        validators=[DataRequired(_l("Skriv ett lösenord.")), Length(max=MAX_LENGTH)],
    )
    confirm = PasswordField(
        _l("Skriv lösenordet igen"),
        validators=[
            DataRequired(_l("Skriv lösenordet igen.")),
            EqualTo("password", _l("Lösenorden är inte likadana.")),
        ],
    )


class ChangePasswordForm(SetPasswordForm):
    current = PasswordField(
        _l("Nuvarande lösenord"), validators=[DataRequired(_l("Skriv ditt nuvarande lösenord."))]
    )


class AccountForm(FlaskForm):
    full_name = StringField(
        _l("Fullständigt namn"), validators=[DataRequired(_l("Skriv ditt namn.")), Length(max=120)]
    )
    display_name = StringField(
        _l("Visningsnamn"),
        description=_l(
            "Det namn andra volontärer ser. Du kan välja ett annat namn än ditt riktiga."
        ),
        validators=[DataRequired(_l("Skriv ett visningsnamn.")), Length(max=60)],
    )
    phone = StringField(_l("Telefon (frivilligt)"), validators=[Optional(), Length(max=40)])
    locale = SelectField(
        _l("Språk"), choices=[SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]
    )


class ConfirmForm(FlaskForm):
    """Her password again before an export or a change to someone's account."""

    password = PasswordField(
        _l("Lösenord"),
        validators=[DataRequired(_l("Skriv ditt lösenord.")), Length(max=MAX_LENGTH)],
    )
