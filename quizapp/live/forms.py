"""The players' form of live games: joining one (anyone). The host's form is the teacher blueprint's
(``quizapp.teacher.live_forms``): blueprints do not import each other."""

from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from quizapp.domain.live_game import NICKNAME_MAX
from quizapp.forms import Form


class PlayForm(Form):
    pin = StringField("Game PIN", validators=[InputRequired("Type the game PIN from the screen."), Length(max=12)],
                      description="The six digits on the screen at the front.",
                      render_kw={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9 ]*"})
    nickname = StringField("Nickname", validators=[InputRequired("Choose a nickname."), Length(max=40)],
                           description=f"Up to {NICKNAME_MAX} characters, shown on the screen.",
                           render_kw={"autocomplete": "nickname", "maxlength": NICKNAME_MAX})
    submit = SubmitField("Join the game")

