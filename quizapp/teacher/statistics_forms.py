"""The forms on an assignment's statistics: one accepts an answer students typed as correct, others set a
question's difficulty to the one its answers suggest. What they send comes from the page (hidden fields),
so the edge guard refuses what no text can hold."""

from wtforms import BooleanField, HiddenField, IntegerField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from quizapp.forms import Form


class AcceptAnswerForm(Form):
    answer = HiddenField(validators=[DataRequired(), Length(max=500)])
    blank = IntegerField(widget=HiddenInput(), validators=[Optional()])
    regrade = BooleanField("Also regrade answers already given in your classes")


class DifficultyForm(Form):
    """One question's difficulty, 1 (easy), 2 or 3 (hard)."""

    difficulty = IntegerField(widget=HiddenInput(), validators=[InputRequired(), AnyOf([1, 2, 3])])


class CorrectDifficultiesForm(Form):
    """Every difficulty the answers suggest, as the page works them out again: nothing to send but the token."""
