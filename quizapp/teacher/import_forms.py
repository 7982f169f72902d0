"""The second step of an import: the teacher has seen what it would do and confirms it.

The uploaded file is not kept on the server between the two steps: it travels back in ``token``,
compressed and signed with the app's secret key together with the bank, the teacher, the choices made
and the fingerprint of the plan that was shown. A token cannot be altered, sent to another bank or by
another teacher, or used after ``TOKEN_LIFETIME``; and the import is planned again on confirmation,
so a bank changed in between is shown again rather than changed in a way nobody saw.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass

from flask import current_app
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from wtforms import HiddenField, SubmitField

TOKEN_LIFETIME = 3600  # seconds: a preview left open longer is uploaded again
SALT = "quizapp.import-preview"


class ConfirmImportForm(FlaskForm):
    """Import what the preview showed, or see it again with the other choice for named questions."""

    token = HiddenField()
    confirm = SubmitField("Import")
    as_new = SubmitField("Show it adding them as new questions instead")
    as_update = SubmitField("Show it updating them instead")


class StaleUpload(Exception):
    """The token is too old: the file must be uploaded again."""


class BadUpload(Exception):
    """The token was not made by this app for this bank and teacher."""


@dataclass(frozen=True)
class PendingUpload:
    """An uploaded file waiting for the teacher's confirmation, and the choices it was previewed with."""

    bank_id: int
    user_id: int
    name: str
    data: bytes
    fmt: str | None
    source: str
    update_named: bool
    digest: str = ""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def sign_upload(upload: PendingUpload) -> str:
    """The upload as a token for the confirmation form."""
    return _serializer().dumps({
        "bank": upload.bank_id, "user": upload.user_id, "name": upload.name, "format": upload.fmt,
        "source": upload.source, "update": upload.update_named, "digest": upload.digest,
        "data": base64.b64encode(zlib.compress(upload.data, 9)).decode("ascii"),
    })


def read_upload(token: str, bank_id: int, user_id: int) -> PendingUpload:
    """The upload in ``token``, if it was made for this bank and teacher; StaleUpload or BadUpload if not."""
    try:
        value = _serializer().loads(token or "", max_age=TOKEN_LIFETIME)
    except SignatureExpired:
        raise StaleUpload from None
    except BadSignature:
        raise BadUpload from None
    if not isinstance(value, dict) or value.get("bank") != bank_id or value.get("user") != user_id:
        raise BadUpload
    try:
        data = zlib.decompress(base64.b64decode(value["data"]))
        return PendingUpload(bank_id, user_id, str(value["name"]), data, value["format"] or None,
                             str(value["source"]), bool(value["update"]), str(value["digest"]))
    except (KeyError, TypeError, ValueError, zlib.error):
        raise BadUpload from None
