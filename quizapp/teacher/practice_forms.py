"""The form on a class's practice page: assigning a practice set sends nothing but its token (the bank is
in the address), so it is a form only for its CSRF check."""

from quizapp.forms import Form


class PracticeSetForm(Form):
    """Assign a practice set of the weakest parts of one bank."""
