"""Forms check shape only; the rules (safety minimum, times, who may) are in services."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from trainer.activities.labels import AUDIENCE_LABELS, DECISION_LABELS, KIND_LABELS
from trainer.activities.rules import MAX_VOLUNTEERS
from trainer.applicants.forms import MultiCheckboxField


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(k, v) for k, v in labels.items()]


class ActivityForm(FlaskForm):
    workgroup_id = SelectField(_l("Arbetsgrupp"), coerce=int)
    title = StringField(
        _l("Rubrik"),
        validators=[
            DataRequired(_l("Skriv en rubrik.")),
            Length(max=120, message=_l("Rubriken får ha högst 120 tecken.")),
        ],
    )
    description = TextAreaField(
        _l("Beskrivning"),
        description=_l("Vad ska ni göra, för vilka, och vad behöver volontärerna veta?"),
        validators=[Optional(), Length(max=4000, message=_l("Skriv högst 4 000 tecken."))],
    )
    kind = SelectField(_l("Typ av aktivitet"), choices=_choices(KIND_LABELS))
    in_person = BooleanField(_l("Vi träffar allmänheten på plats"), default=True)
    district_id = SelectField(_l("Kommundel"), coerce=int)
    place_id = SelectField(
        _l("Plats"),
        coerce=int,
        description=_l("Väljer du en plats gäller dess kommundel."),
    )
    date = DateField(_l("Datum"), validators=[InputRequired(_l("Välj ett datum."))])
    start_time = TimeField(_l("Börjar"), validators=[InputRequired(_l("Skriv när ni börjar."))])
    end_time = TimeField(_l("Slutar"), validators=[InputRequired(_l("Skriv när ni slutar."))])
    min_volunteers = IntegerField(
        _l("Minst antal volontärer"),
        validators=[
            InputRequired(_l("Skriv ett tal.")),
            NumberRange(1, MAX_VOLUNTEERS, _l("Skriv ett tal från 1 till 100.")),
        ],
    )
    max_volunteers = IntegerField(
        _l("Högst antal volontärer"),
        validators=[
            InputRequired(_l("Skriv ett tal.")),
            NumberRange(1, MAX_VOLUNTEERS, _l("Skriv ett tal från 1 till 100.")),
        ],
    )
    audience = RadioField(
        _l("Vilka får anmäla sig?"), choices=_choices(AUDIENCE_LABELS), default="members"
    )


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Beslut"), choices=_choices(DECISION_LABELS))
    comment = TextAreaField(
        _l("Kommentar"),
        description=_l("Behövs när du ber om ändringar eller inte godkänner."),
        validators=[Optional(), Length(max=2000)],
    )


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Kommentar"), validators=[Optional(), Length(max=2000)])


class WithdrawForm(FlaskForm):
    message = TextAreaField(
        _l("Meddelande till sammankallande (frivilligt)"),
        validators=[Optional(), Length(max=1000)],
    )


class AttendanceForm(FlaskForm):
    attended = MultiCheckboxField(_l("De här kom"), coerce=int)


class EvaluationForm(FlaskForm):
    people_reached = IntegerField(
        _l("Hur många nådde ni?"),
        validators=[
            InputRequired(_l("Skriv ett tal, 0 om ni inte nådde någon.")),
            NumberRange(0, 100000, _l("Skriv ett tal från 0.")),
        ],
    )
    target_group = StringField(
        _l("Målgrupp"),
        description=_l("Till exempel: elever i årskurs 8, besökare på träffpunkten."),
        validators=[Optional(), Length(max=200)],
    )
    went_well = TextAreaField(_l("Vad fungerade bra?"), validators=[Optional(), Length(max=4000)])
    to_improve = TextAreaField(_l("Vad kan bli bättre?"), validators=[Optional(), Length(max=4000)])
    incidents = TextAreaField(
        _l("Hände något särskilt?"),
        description=_l("Skriv inga namn eller uppgifter som kan peka ut någon."),
        validators=[Optional(), Length(max=4000)],
    )


class ReflectionForm(FlaskForm):
    text = TextAreaField(
        _l("Din reflektion"),
        description=_l("Några rader om hur det gick och vad du tar med dig."),
        validators=[
            DataRequired(_l("Skriv några ord.")),
            Length(max=2000, message=_l("Skriv högst 2 000 tecken.")),
        ],
    )


class EvaluationFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter

    group = SelectField(_l("Grupp"), coerce=int, validators=[Optional()])
    start = DateField(_l("Från och med"), validators=[Optional()])
    end = DateField(_l("Till och med"), validators=[Optional()])
