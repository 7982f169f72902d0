"""Forms for taking quizzes. The answer fields vary by question type, so the
response values are read from the request as a list; the form carries the CSRF
token and which question is being answered. One-button forms (start, finish,
sign out) carry only the CSRF token, which CSRFProtect checks on every POST."""

from wtforms import HiddenField, IntegerField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional
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


class PracticeAnswerForm(Form):
    """A practice answer: the shown question's sealed token (``services.practice.seal``) and where the student
    is practising (due, ahead, or one part), so the next question comes from the same queue."""

    token = HiddenField(validators=[InputRequired()])
    mode = HiddenField()
    part = HiddenField()


LIMIT_MESSAGE = "Give a whole number from 0 to 9999."


class PracticeSettingsForm(Form):
    new_per_day = IntegerField("New questions a day", validators=[InputRequired(LIMIT_MESSAGE),
                                                                   NumberRange(0, 9999, LIMIT_MESSAGE)],
                               description="Questions you have never answered that practice may bring in each "
                                           "day, after those due, from the texts you have begun or the key point "
                                           "you choose. 0 brings in none.",
                               render_kw={"inputmode": "numeric", "min": 0, "max": 9999})
    reviews_per_day = IntegerField("Reviews a day", validators=[InputRequired(LIMIT_MESSAGE),
                                                                NumberRange(0, 9999, LIMIT_MESSAGE)],
                                   description="How many questions you have seen before practice asks again each "
                                               "day at most; the rest wait for the next day.",
                                   render_kw={"inputmode": "numeric", "min": 0, "max": 9999})
    submit = SubmitField("Save limits")
