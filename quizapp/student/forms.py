"""Forms for taking quizzes. The answer fields vary by question type, so the
response values are read from the request as a list; the form carries the CSRF
token and which question is being answered. One-button forms (start, finish,
sign out) carry only the CSRF token, which CSRFProtect checks on every POST."""

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput


class AnswerForm(FlaskForm):
    question_id = IntegerField(validators=[InputRequired()], widget=HiddenInput())

