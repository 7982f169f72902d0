"""Forms for accounts."""

from wtforms import BooleanField, PasswordField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Regexp

from quizapp.forms import Form, as_name
from quizapp.services import school


def _display_name() -> StringField:
    return StringField("Your name", filters=[as_name], validators=[DataRequired(message="Type your name."),
                       Length(max=80, message="Keep your name to 80 characters.")],
                       description="Shown to your teacher and class.")


def _new_password(label: str) -> PasswordField:
    return PasswordField(label,
                         validators=[InputRequired(message="Choose a password of at least 8 characters."),
                                     Length(min=8, max=128, message="Use 8 to 128 characters.")],
                         render_kw={"autocomplete": "new-password"}, description="At least 8 characters.")


def _repeated(label: str) -> PasswordField:
    return PasswordField(label,
                         validators=[InputRequired(message="Type the password again."),
                                     EqualTo("password", message="The passwords do not match.")],
                         render_kw={"autocomplete": "new-password"})


class RegisterForm(Form):
    username = StringField(
        "Username",
        validators=[
            InputRequired(message="Choose a username."),
            Length(min=3, max=40, message="Use 3 to 40 characters."),
            Regexp(r"^[A-Za-z0-9_.-]+$", message="Use letters, digits, dots, dashes and underscores only."),
        ],
        render_kw={"autocomplete": "username"},
    )
    display_name = _display_name()
    password = _new_password("Password")
    confirm = _repeated("Repeat password")
    submit = SubmitField("Create account")


class LoginForm(Form):
    username = StringField("Username", validators=[InputRequired(message="Type your username."), Length(max=40)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[InputRequired(message="Type your password."), Length(max=128)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me signed in")
    submit = SubmitField("Sign in")


class NameForm(Form):
    display_name = _display_name()
    submit = SubmitField("Save name")


class PasswordForm(Form):
    current = PasswordField("Current password",
                            validators=[InputRequired(message="Type your current password."), Length(max=128)],
                            render_kw={"autocomplete": "current-password"})
    password = _new_password("New password")
    confirm = _repeated("Repeat the new password")
    submit = SubmitField("Change password")


class ChoosePasswordForm(Form):
    password = _new_password("New password")
    confirm = _repeated("Repeat the new password")
    submit = SubmitField("Save my password")


class SchoolZoneForm(Form):
    time_zone = StringField(
        "Time zone", filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[InputRequired(message="Choose the school's time zone."), Length(max=64)],
        render_kw={"list": "zone-names", "autocomplete": "off", "spellcheck": "false"},
        description="Type part of a city's name, such as Paris or New_York, and pick the zone from the list.")
    submit = SubmitField("Save the time zone")

    def validate_time_zone(self, field) -> None:
        if field.data not in school.zone_names():
            raise ValidationError("That is not a time zone this server knows. Pick one from the list, "
                                  "such as Europe/Paris or America/New_York.")


class LogoutForm(Form):
    submit = SubmitField("Sign out")
