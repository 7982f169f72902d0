"""The host's form of live games: setting one up. (Joining one is the players' form: ``quizapp.live.forms``.)"""

from wtforms import IntegerField, RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from quizapp.domain.live_scoring import Profile
from quizapp.forms import Form
from quizapp.services.live_games import MAX_SECONDS, MIN_SECONDS


class HostForm(Form):
    quiz_id = SelectField("Quiz", coerce=int, validators=[InputRequired("Choose a quiz.")],
                          invalid_choice_message="Choose one of the quizzes in the list.")
    classroom_id = SelectField("Class", coerce=int, validators=[Optional()],
                               invalid_choice_message="Choose one of your classes, or no class.",
                               description="Playing with a class puts the game in that class's list of games.")
    profile = RadioField("Scoring", choices=[SelectChoice(p.value, p.label) for p in Profile],
                         default=Profile.SPEED.value)
    seconds = IntegerField("Seconds per question", default=20,
                           validators=[InputRequired("Give the seconds per question."),
                                       NumberRange(MIN_SECONDS, MAX_SECONDS,
                                                   f"Give between {MIN_SECONDS} and {MAX_SECONDS} seconds.")])
    double = StringField("Double points on questions", validators=[Optional(), Length(max=200)],
                         description="Question numbers, such as 3, 7. Leave empty for none.")
    blocked = TextAreaField("Words not allowed in nicknames", validators=[Optional(), Length(max=2000)],
                            description="Besides the built-in list: one word per line.")
    submit = SubmitField("Open the lobby")
