"""The form for adding a class's students by pasting their names."""

from wtforms import SubmitField, TextAreaField, ValidationError
from wtforms.validators import InputRequired, Length

from quizapp.domain.roster import MAX_NAMES, NAME_MAX, RosterError, parse_names
from quizapp.forms import Form


class RosterForm(Form):
    names = TextAreaField(
        "Names, one per line",
        validators=[InputRequired(message="Paste at least one name, one per line."),
                    # Every name at its longest, and room for blank lines: anything longer is not a class list.
                    Length(max=2 * MAX_NAMES * (NAME_MAX + 2), message="That is far longer than a class list.")],
        render_kw={"rows": 8, "spellcheck": "false", "autocomplete": "off"},
        description=f"Up to {MAX_NAMES} names, as the students should appear. Each gets an account with a "
                    "username and a one-time password to hand out.")
    submit = SubmitField("Add students")

    def validate_names(self, field) -> None:
        try:
            parse_names(field.data or "")
        except RosterError as error:
            *others, last = error.problems
            field.errors.extend(others)
            raise ValidationError(last) from None
