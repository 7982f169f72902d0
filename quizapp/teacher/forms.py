"""Forms for running classes and question banks."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from quizapp.forms import Form, as_name
from quizapp.models import Counting, NameDisplay
from quizapp.services.banks.managing import STATUSES


class ClassroomForm(Form):
    name = StringField("Class name", filters=[as_name], validators=[DataRequired(), Length(max=120)],
                       description="For example: Year 10 History, group B.")
    submit = SubmitField("Create class")


class NameDisplayForm(Form):
    name_display = SelectField(
        "Leaderboards show",
        choices=[SelectChoice(NameDisplay.FULL.value, "Full names"),
                 SelectChoice(NameDisplay.NICKNAME.value, "Nicknames (initials if none)"),
                 SelectChoice(NameDisplay.INITIALS.value, "Initials only")],
    )
    submit = SubmitField("Save")


class AssignmentForm(Form):
    quiz_id = SelectField("Quiz", coerce=int, validators=[InputRequired()])
    opens_at = DateTimeLocalField("Opens at", validators=[InputRequired(message="Give the opening date and time.")])
    closes_at = DateTimeLocalField("Closes at", validators=[InputRequired(message="Give the closing date and time.")])
    time_limit_minutes = IntegerField(
        "Time limit (minutes)", validators=[Optional(), NumberRange(min=1, max=600)],
        description="Leave empty for no limit. An attempt past its limit is finished with what it has.",
    )
    attempts_allowed = IntegerField(
        "Attempts allowed", validators=[Optional(), NumberRange(min=1, max=100)],
        description="Leave empty to allow as many as the student likes.",
    )
    counting = SelectField(
        "Which attempt counts",
        choices=[SelectChoice(Counting.BEST.value, "The best"), SelectChoice(Counting.LAST.value, "The last"),
                 SelectChoice(Counting.AVERAGE.value, "The average of all")],
    )
    submit = SubmitField("Assign")

    def validate_closes_at(self, field):
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError("The quiz must close after it opens.")


class ClassExtensionForm(Form):
    closes_at = DateTimeLocalField("New closing time", id="class-closes-at",
                                   validators=[InputRequired(message="Give the new closing date and time.")],
                                   description="Later than the present one. A closed quiz opens again until then.")
    submit = SubmitField("Extend for the class", id="class-extend")


class StudentExtensionForm(Form):
    user_id = SelectField("Student", coerce=int, validators=[InputRequired(message="Choose a student.")])
    closes_at = DateTimeLocalField("Closes for them at", id="student-closes-at", validators=[Optional()],
                                   description="Leave empty to keep their closing time.")
    extra_attempts = IntegerField("Extra attempts", validators=[Optional(), NumberRange(min=1, max=20)],
                                  description="On top of those they have. Leave empty for none.")
    submit = SubmitField("Extend for this student", id="student-extend")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.closes_at.data is None and self.extra_attempts.data is None:
            self.closes_at.errors.append("Give a later close, extra attempts, or both.")
            return False
        return valid


class QuestionSearchForm(Form):
    """Filters for a bank's questions; a GET form, so it changes nothing and needs no CSRF token."""

    class Meta:
        csrf = False

    q = StringField("Text", validators=[Optional(), Length(max=100, message="Search for 100 characters or fewer.")])
    type = SelectField("Type", validators=[Optional()], invalid_choice_message="Choose a type from the list.")
    source = SelectField("Part of the text", validators=[Optional()],
                         invalid_choice_message="Choose a part of the text from the list.")
    tag = StringField("Tag", validators=[Optional(), Length(max=40, message="A tag has 40 characters or fewer.")])
    difficulty = SelectField("Difficulty", choices=[SelectChoice("", "Any"), SelectChoice("1", "1"),
                                                    SelectChoice("2", "2"), SelectChoice("3", "3")],
                             validators=[Optional()], invalid_choice_message="Choose a difficulty from the list.")
    status = SelectField("Status", validators=[Optional()], invalid_choice_message="Choose a status from the list.",
                         choices=[SelectChoice("", "Any"), *(SelectChoice(v, t) for v, t in STATUSES.items())])


class BankForm(Form):
    title = StringField("Title", filters=[as_name],
                        validators=[DataRequired(message="Give the bank a title."),
                                    Length(max=200, message="Keep the title to 200 characters or fewer.")])
    description = TextAreaField("Description", render_kw={"rows": 4},
                                validators=[Optional(),
                                            Length(max=2000, message="Keep the description to 2,000 characters "
                                                                     "or fewer.")],
                                description="Optional: what the bank covers, for you and those you share it with.")
    submit = SubmitField("Save")


class ShareForm(Form):
    username = StringField("Teacher's username", validators=[
                               InputRequired(message="Give a teacher's username."),
                               Length(max=40, message="A username has 40 characters or fewer: check it.")],
                           description="They can use, copy and download the bank, but not change it.")
    submit = SubmitField("Share", id="share-submit")


STALE_LIST = "The list of questions was out of date: nothing was changed. Tick the questions again."


class BulkQuestionsForm(Form):
    """An action on the questions ticked in a bank's list (or on all those listed, with ``select_all``)."""

    questions = SelectMultipleField("Questions", coerce=int, validate_choice=False,
                                    invalid_value_message=STALE_LIST)
    shown = SelectMultipleField("Listed questions", coerce=int, validate_choice=False,
                                invalid_value_message=STALE_LIST)
    select_all = BooleanField("Select all")
    tag = StringField("Tag to add or remove", id="bulk-tag",
                      validators=[Optional(), Length(max=40, message="A tag has 40 characters or fewer.")],
                      description="One word: letters, digits and hyphens.")
    action = SelectField("Action", validators=[InputRequired(message="Choose what to do.")],
                         invalid_choice_message="Choose what to do: add a tag, remove a tag, or delete.",
                         choices=[SelectChoice("add_tag", "Add tag"), SelectChoice("remove_tag", "Remove tag"),
                                  SelectChoice("delete", "Delete")])

    def chosen(self) -> list[int]:
        """The ids ticked, or every listed one when "select all" is ticked."""
        return list(self.shown.data or []) if self.select_all.data else list(self.questions.data or [])


class CopyQuestionForm(Form):
    into = SelectField("Into your bank", coerce=int, validate_choice=False)
    submit = SubmitField("Copy question", id="copy-submit")


class ImportForm(FlaskForm):
    file = FileField("Question file", validators=[FileRequired(message="Choose a file to import."),
                                                  FileSize(max_size=2 * 1024 * 1024, message="The file is over 2 MB.")],
                     description="GIFT (.gift), Aiken (.txt) or Moodle XML (.xml).")
    format = SelectField("Format", choices=[SelectChoice("", "From the file's extension"),
                                            SelectChoice("gift", "GIFT"), SelectChoice("aiken", "Aiken"),
                                            SelectChoice("moodle-xml", "Moodle XML")], validators=[Optional()],
                         invalid_choice_message="Choose a format from the list.")
    source = SelectField("Drawn from", id="import-source",
                         invalid_choice_message="Choose the part of the text new questions belong to.",
                         description="The part of the text new questions belong to.")
    # Uploading shows what the import would do; the preview's own button imports.
    submit = SubmitField("Preview the import")


class QuestionForm(Form):
    """A question of any type: the common fields, and each type's own as text, one entry per line.

    The fields have no validators of their own: the text is made into a bank-file question and the
    bank validator checks it (``services.banks.authoring``), so the browser gets the same rules as a file,
    said in the form's words (``domain.authoring.form_message``).
    """

    id = StringField("Question id", description="Leave it empty and one is made from the part of the text, such as "
                                                 "key-point-1-3. Lowercase letters, digits and hyphens, unique in "
                                                 "the bank; it never changes once the question is saved.")
    prompt = TextAreaField("Question")
    choices = TextAreaField("Choices", render_kw={"rows": 5},
                            description="One per line; start the correct ones with *.")
    scoring = SelectField("Scoring", validate_choice=False,
                          choices=[SelectChoice("all_or_nothing", "All or nothing"),
                                   SelectChoice("partial", "Partial credit")])
    answer = SelectField("Answer", validate_choice=False,
                         choices=[SelectChoice("true", "True"), SelectChoice("false", "False")])
    accepted = TextAreaField("Accepted answers", render_kw={"rows": 4},
                             description="One per line; case, spacing, punctuation, accents, hyphens inside words "
                                         "and a leading “a”, “an” or “the” are ignored.")
    # Off by default: a teacher chooses to forgive spelling, question by question.
    tolerance = BooleanField("Accept one typo in long words",
                             description="A word of six letters or more may have one letter missing, added, "
                                         "wrong or swapped with the next; never a word with a digit.")
    items = TextAreaField("Items in the right order", render_kw={"rows": 5}, description="One per line.")
    text = TextAreaField("Text with blanks", render_kw={"rows": 3}, description="Write the blanks {1}, {2}, …")
    blanks = TextAreaField("Blanks", render_kw={"rows": 3},
                           description="One line per blank, in order; accepted answers separated by |.")
    explanation = TextAreaField("Explanation", description="Shown once the student has answered.")
    source = SelectField("Drawn from", validate_choice=False)
    passage = TextAreaField("Passage (optional)", description="The words of the text the answer is found in.")
    difficulty = SelectField("Difficulty", default="1", validate_choice=False,
                             choices=[SelectChoice("1", "1 (easy)"), SelectChoice("2", "2"),
                                      SelectChoice("3", "3 (hard)")])
    tags = StringField("Tags", description="Separated by commas.")
    points = StringField("Points", default="1", render_kw={"inputmode": "numeric"},
                         description="A whole number, 1 or more.")
    submit = SubmitField("Save question")
