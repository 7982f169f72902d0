"""Forms for taking quizzes. The answer fields vary by question type, so the
response values are read from the request as a list; the form carries the CSRF
token and which question is being answered. One-button forms (start, finish,
sign out) carry only the CSRF token, which CSRFProtect checks on every POST."""

from wtforms import IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from quizapp.forms import Form, as_name


class AnswerForm(Form):
    question_id = IntegerField(validators=[InputRequired()], widget=HiddenInput())


class JoinForm(Form):
    code = StringField("Class code", validators=[InputRequired(), Length(max=20)],
                       description="The code your teacher gave you, for example K7M4PQ.",
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    nickname = StringField("Nickname (optional)", filters=[as_name], validators=[Optional(), Length(max=40)],
                           description="Shown on leaderboards if your teacher chooses nicknames.")
    submit = SubmitField("Join class")
