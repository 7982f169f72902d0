"""The base of every form: text no field can hold is named beside its field.

The edge guard (``quizapp.security``) refuses a NUL or a lone surrogate anywhere in a request, except in
the fields of the forms listed in ``security.FORMS``: those reach the view, and this base says what is
wrong beside the field, keeps what was typed without the character, and fails validation, so the form
is shown again and nothing is saved.
"""

from __future__ import annotations

from flask_wtf import FlaskForm

from quizapp.domain.text import UNSTORABLE, clean_name, unstorable_character


def _without_unstorable(value):
    if isinstance(value, str):
        return UNSTORABLE.sub("", value)
    if isinstance(value, list):
        return [_without_unstorable(item) for item in value]
    return value


class Form(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            problem = next(filter(None, (unstorable_character(value) for value in field.raw_data or []
                                         if isinstance(value, str))), None)
            if problem is None:
                continue
            valid = False
            field.data = _without_unstorable(field.data)
            # The character's other complaints (a pattern, a choice) follow from it: this one says it all.
            field.errors = [f"This held {problem}, which no text can hold; it is taken out now. "
                            "Check what is left and send it again."]
        return valid


def as_name(value):
    """The filter for a field holding a name or title: ``clean_name``, the one rule for names."""
    return clean_name(value) if isinstance(value, str) else value
