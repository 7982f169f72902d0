"""The quiz builder's form: which questions (those picked, or a random number by part of the text and
tag), their order, and when students get feedback. What needs the bank (the size of the pool) is checked
by ``services.banks.quiz_builder``."""

from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, NumberInput

from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.forms import Form, as_name
from quizapp.models import Feedback, Question, SourcePart
from quizapp.services.banks.quiz_builder import QuizPlan, filter_counts, matching

PICK, RANDOM = "pick", "random"


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _only_in(mode: str):
    """Check the field only when the form's mode is ``mode``: the other mode's fields are ignored."""

    def check(form, field):
        if form.mode.data != mode:
            field.errors[:] = []
            raise StopValidation()

    return check


class CheckboxesField(SelectMultipleField):
    """Several choices, as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class QuizForm(Form):
    title = StringField("Title", filters=[as_name],
                        validators=[DataRequired(message="Give the quiz a title."),
                                    Length(max=200, message="Keep the title to 200 characters or fewer.")])
    description = TextAreaField("Description (optional)", filters=[_strip],
                                validators=[Length(max=2000, message="Keep the description to 2,000 characters "
                                                                     "or fewer.")],
                                render_kw={"rows": 3}, description="Shown to students before they start.")
    mode = RadioField("Which questions", default=PICK,
                      invalid_choice_message="Choose the questions you pick, or a random number of them.", choices=[
        SelectChoice(PICK, "The questions I pick below"),
        SelectChoice(RANDOM, "A random number of questions, drawn from parts of the text and tags"),
    ])
    # An unknown key is named by ``quiz_builder.problems``, in words that say why it cannot be asked.
    questions = CheckboxesField("Questions to ask", validators=[_only_in(PICK)], validate_choice=False)
    count = StringField("How many questions", filters=[_strip], validators=[_only_in(RANDOM)],
                        widget=NumberInput(min=1),
                        description="Leave empty to ask every matching question.")
    sources = CheckboxesField("Drawn from", validators=[_only_in(RANDOM)],
                              invalid_choice_message="Tick parts of the text from the list: one ticked is no "
                                                     "longer in this bank's text.",
                              description="None ticked: any part of the text.")
    tags = CheckboxesField("Tagged", validators=[_only_in(RANDOM)],
                           invalid_choice_message="Tick tags from the list: one ticked is no longer on any question.",
                           description="None ticked: any tag. A question with one of the ticked tags matches.")
    shuffle = BooleanField("Shuffle questions and choices", default=True)
    feedback = RadioField("Feedback", default=Feedback.AFTER_EACH.value,
                          invalid_choice_message="Choose when students see how each answer went.", choices=[
        SelectChoice(Feedback.AFTER_EACH.value,
                     "After each question: right or wrong, the correct answer, why, and the passage"),
        SelectChoice(Feedback.AT_END.value,
                     "Only at the end: answers are saved, and all of it is shown with the results"),
    ])
    submit = SubmitField("Save quiz")
    # Narrowing the list of questions to pick from: never a reason to refuse the quiz, so no validators.
    find_text = StringField("Text", filters=[_strip])
    find_type = SelectField("Type", validate_choice=False)
    find_source = SelectField("Part of the text", validate_choice=False)
    find_tag = SelectField("Tag", validate_choice=False)
    show = SubmitField("Show matching questions")

    def validate_questions(self, field):
        if not field.data:
            raise ValidationError("Pick at least one question.")

    def validate_count(self, field):
        if field.data and not (field.data.isascii() and field.data.isdigit() and int(field.data) >= 1):
            raise ValidationError("Give a whole number of 1 or more, or leave it empty to ask every matching "
                                  "question.")

    def offer(self, parts: list[SourcePart], questions: list[Question], kept_tags: list[str]) -> None:
        """Fill the choices from the bank: its askable ``questions``, its ``parts`` and the tags (with how many
        questions each has), and the tags the quiz had (``kept_tags``) even if no question has them now."""
        by_source, by_tag = filter_counts(questions)
        self.questions.choices = [SelectChoice(q.key, q.key) for q in questions]
        self.sources.choices = [SelectChoice(p.reference, f"{p.label}: {p.title} ({by_source[p.reference]})")
                                for p in parts]
        self.tags.choices = [SelectChoice(tag, f"{tag} ({by_tag[tag]})") for tag in sorted({*by_tag, *kept_tags})]
        anything = [SelectChoice("", "Any")]
        self.find_type.choices = anything + [SelectChoice(name, kind.label) for name, kind in QUESTION_TYPES.items()]
        self.find_source.choices = anything + [SelectChoice(p.reference, p.label) for p in parts]
        self.find_tag.choices = anything + [SelectChoice(tag, tag) for tag in sorted(by_tag)]

    def listed(self, questions: list[Question]) -> set[str]:
        """The keys of the questions to list: those matching the filters, and those ticked, so narrowing the
        list never drops a pick."""
        shown = matching(questions, self.find_text.data or "", self.find_type.data or "",
                         self.find_source.data or "", self.find_tag.data or "")
        return {q.key for q in shown} | set(self.questions.data or [])

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        """Say the service's problems beside their fields, unless the form found one there already."""
        for name, messages in problems.items():
            if not self[name].errors:
                self[name].errors = list(messages)

    def plan(self) -> QuizPlan | None:
        """The plan the form describes, None without a mode; what a field could not read is left out (its
        error says why)."""
        if self.mode.data not in (PICK, RANDOM):
            return None
        picking = self.mode.data == PICK
        count = self.count.data or ""
        return QuizPlan(
            title=self.title.data or "", description=self.description.data or "", picking=picking,
            picked=list(self.questions.data or []) if picking else [],
            count=int(count) if not picking and count.isascii() and count.isdigit() else None,
            sources=list(self.sources.data or []) if not picking else [],
            tags=list(self.tags.data or []) if not picking else [],
            shuffle=self.shuffle.data,
            feedback=Feedback(self.feedback.data) if self.feedback.data in set(Feedback) else Feedback.AFTER_EACH,
        )
