"""Forms for accounts."""

from wtforms import BooleanField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, Regexp

from quizapp.forms import Form, as_name


def _display_name() -> StringField:
    return StringField("Your name", filters=[as_name], validators=[DataRequired(), Length(max=80)],
                       description="Shown to your teacher and class.")


def _new_password(label: str) -> PasswordField:
    return PasswordField(label,
                         validators=[InputRequired(), Length(min=8, max=128, message="Use 8 to 128 characters.")],
                         render_kw={"autocomplete": "new-password"}, description="At least 8 characters.")


def _repeated(label: str) -> PasswordField:
    return PasswordField(label,
                         validators=[InputRequired(), EqualTo("password", message="The passwords do not match.")],
                         render_kw={"autocomplete": "new-password"})


class RegisterForm(Form):
    username = StringField(
        "Username",
        validators=[
            InputRequired(),
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
    username = StringField("Username", validators=[InputRequired(), Length(max=40)],
                           render_kw={"autocomplete": "username"})
    password = PasswordField("Password", validators=[InputRequired(), Length(max=128)],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Keep me signed in")
    submit = SubmitField("Sign in")


class NameForm(Form):
    display_name = _display_name()
    submit = SubmitField("Save name")


class PasswordForm(Form):
    current = PasswordField("Current password", validators=[InputRequired(), Length(max=128)],
                            render_kw={"autocomplete": "current-password"})
    password = _new_password("New password")
    confirm = _repeated("Repeat the new password")
    submit = SubmitField("Change password")


class LogoutForm(Form):
    submit = SubmitField("Sign out")
