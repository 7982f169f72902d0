"""The forms of live games: joining one (anyone) and setting one up (the host)."""

from wtforms import IntegerField, RadioField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from quizapp.domain.live_game import NICKNAME_MAX
from quizapp.domain.live_scoring import Profile
from quizapp.forms import Form
from quizapp.services.live_games import MAX_SECONDS, MIN_SECONDS


class PlayForm(Form):
    pin = StringField("Game PIN", validators=[InputRequired("Type the game PIN from the screen."), Length(max=12)],
                      description="The six digits on the screen at the front.",
                      render_kw={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"})
    nickname = StringField("Nickname", validators=[InputRequired("Choose a nickname."), Length(max=40)],
                           description=f"Up to {NICKNAME_MAX} characters, shown on the screen.",
                           render_kw={"autocomplete": "nickname", "maxlength": NICKNAME_MAX})
    submit = SubmitField("Join the game")


class HostForm(Form):
    quiz_id = SelectField("Quiz", coerce=int, validators=[InputRequired()])
    classroom_id = SelectField("Class", coerce=int, validators=[Optional()],
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
