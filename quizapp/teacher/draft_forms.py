"""Forms for drafting a bank from an article and updating it from a changed one."""

from flask_wtf.file import FileAllowed, FileField, FileSize
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional

from quizapp.forms import Form, as_name

ARTICLE_LIMIT = 512 * 1024  # bytes of an uploaded file, characters of pasted text


class ArticleForm(Form):
    """An article pasted or uploaded. ``check`` shows what was found; ``confirm`` (a button the page
    names after what it does) creates or updates the bank from the text, which travels in ``text``."""

    text = TextAreaField(
        "The article's text", validators=[Optional(), Length(max=ARTICLE_LIMIT, message="The text is too long.")],
        render_kw={"rows": 14},
        description="Plain text or Markdown: a title line, headings (or paragraphs), a bulleted list of key "
                    "points, 'Q:'/'A:' pairs. Or the bundled layout: an 'Article Subheadings' table, the sections, "
                    "a 'No. | Key Points |' table, a Summary and 'Question: …' lines with their answers.",
    )
    file = FileField(
        "Or upload it",
        validators=[FileAllowed(["txt", "md"], "Upload a .txt or .md file."),
                    FileSize(max_size=ARTICLE_LIMIT, message="The file is over 512 KB.")],
        description="A UTF-8 .txt or .md file of at most 512 KB; it takes the place of any text pasted above.",
    )
    title = StringField("Bank title (optional)", filters=[as_name],
                        validators=[Optional(), Length(max=200, message="Keep the title to 200 characters.")],
                        description="Leave it empty to name the bank after the article's title.")
    name = HiddenField()  # the uploaded file's name, kept for the next step
    check = SubmitField("Check the article")
    confirm = SubmitField()
