"""The form on an assignment's statistics that accepts an answer students typed as correct. The answer
and its blank come from the page (hidden fields), so the edge guard refuses what no text can hold."""

from wtforms import BooleanField, HiddenField, IntegerField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import HiddenInput

from quizapp.forms import Form


class AcceptAnswerForm(Form):
    answer = HiddenField(validators=[DataRequired(), Length(max=500)])
    blank = IntegerField(widget=HiddenInput(), validators=[Optional()])
    regrade = BooleanField("Also regrade answers already given in your classes")
