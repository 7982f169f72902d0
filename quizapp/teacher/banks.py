"""Teacher views for question banks: the bundled ones read-only, a teacher's own to write in;
search, export, import, and authoring. Another teacher's bank is a 404."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from quizapp.domain.authoring import COMMON_FORM_FIELDS, TYPE_FORM_FIELDS
from quizapp.domain.bank_format import BankError
from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.services import authoring, interchange, library
from quizapp.teacher.blueprint import bp
from quizapp.teacher.forms import ImportForm, QuestionForm, QuestionSearchForm


def _visible_bank(bank_id: int):
    bank = library.visible_bank(current_user, bank_id)
    if bank is None:
        abort(404)
    return bank


@bp.route("/banks")
def banks():
    """The bundled banks (read-only, to copy) and the teacher's own."""
    return render_template("teacher/banks.html", banks=library.visible_banks(current_user))


@bp.route("/banks/<int:bank_id>")
def bank(bank_id: int):
    """A bank's questions, key included, filtered by text, type, part of the text, tag and difficulty."""
    bank = _visible_bank(bank_id)
    form = QuestionSearchForm(request.args)
    form.type.choices = [SelectChoice("", "Any")] + [SelectChoice(n, t.label) for n, t in QUESTION_TYPES.items()]
    form.source.choices = [SelectChoice("", "Any")] + [SelectChoice(p.reference, p.label) for p in bank.parts]
    questions = []
    if form.validate():
        questions = library.search_questions(bank, form.q.data or "", form.type.data or "", form.source.data or "",
                                             (form.tag.data or "").strip(), int(form.difficulty.data or 0) or None)
    import_form = _import_form(bank) if bank.owner_id == current_user.id else None
    return render_template("teacher/bank.html", bank=bank, form=form, questions=questions, import_form=import_form,
                           formats=interchange.FORMATS,
                           question_types=QUESTION_TYPES), 200 if not form.errors else 400


def _import_form(bank) -> ImportForm:
    form = ImportForm()
    form.source.choices = [SelectChoice(p.reference, f"{p.label}: {p.title}") for p in bank.parts]
    return form


@bp.post("/banks/<int:bank_id>/copy")
def copy_bank(bank_id: int):
    """Copy a bank to change it: the copy is the teacher's own."""
    copy = library.copy_bank(_visible_bank(bank_id), current_user)
    flash(f"Copied to “{copy.title}”, which you can change.", "success")
    return redirect(url_for("teacher.bank", bank_id=copy.id))


@bp.route("/banks/<int:bank_id>/export/<fmt>")
def export_bank(bank_id: int, fmt: str):
    """Download the bank as YAML, GIFT, Aiken, Moodle XML or CSV."""
    bank = _visible_bank(bank_id)
    if fmt not in interchange.FORMATS:
        abort(404)
    text, warnings = interchange.export_bank(bank.key, fmt)
    extension = {"yaml": "yaml", "gift": "gift", "aiken": "txt", "moodle-xml": "xml", "csv": "csv"}[fmt]
    response = Response(text, mimetype="text/plain; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{bank.key}.{extension}"'})
    if warnings:
        # Said in a header too, so a script downloading the file sees what was left out.
        response.headers["X-Not-Exported"] = str(len(warnings))
    return response


@bp.post("/banks/<int:bank_id>/import")
def import_into_bank(bank_id: int):
    """Add the questions of an uploaded GIFT, Aiken or Moodle XML file to the teacher's own bank."""
    bank = library.owned_bank(current_user, bank_id)
    if bank is None:
        abort(404)
    form = _import_form(bank)
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = interchange.import_upload(upload.read(), upload.filename or "upload", bank.key,
                                               form.source.data, form.format.data or None)
        except BankError as error:
            problems = [str(p) for p in error.problems]
        else:
            flash(f"Imported: {report.added} added, {report.updated} updated.", "success")
            return redirect(url_for("teacher.bank", bank_id=bank.id))
    search = QuestionSearchForm(meta={"csrf": False})
    search.type.choices = [SelectChoice("", "Any")]
    search.source.choices = [SelectChoice("", "Any")]
    return render_template("teacher/bank.html", bank=bank, form=search, import_form=form, import_problems=problems,
                           questions=library.search_questions(bank), formats=interchange.FORMATS,
                           question_types=QUESTION_TYPES), 400


def _owned_bank(bank_id: int):
    bank = library.owned_bank(current_user, bank_id)
    if bank is None:
        abort(404)
    return bank


def _live_question(bank, question_id: int):
    question = authoring.live_question(bank, question_id)
    if question is None:
        abort(404)
    return question


def _question_form(bank, kind: str, question=None):
    """Render or save the question form; a problem re-renders it (400) with what was typed."""
    form = QuestionForm(data=authoring.form_data(question) if question is not None else None)
    form.source.choices = [SelectChoice(p.reference, f"{p.label}: {p.title}") for p in bank.parts]
    if question is not None:
        form.id.render_kw = {"readonly": True}
        form.id.description = "The id names the question's versions, so it stays as it is."
    general: list[str] = []
    if form.is_submitted():
        if not form.validate():  # the fields have no validators of their own: this is the CSRF token
            general = [message for messages in form.errors.values() for message in messages]
        else:
            try:
                report = authoring.save_question(bank, kind, request.form.to_dict(), question)
            except authoring.AuthoringError as error:
                for name, messages in error.fields.items():
                    form[name].errors = list(form[name].errors or []) + messages
                general = error.general
            else:
                key = question.key if question is not None else form.id.data.strip()
                what = "Added" if report.added else ("Saved a new version of" if report.updated else "No change to")
                flash(f"{what} the question “{key}”.", "success")
                return redirect(url_for("teacher.bank", bank_id=bank.id))
    answers = authoring.answers_to_current_version(question) if question is not None else 0
    return render_template("teacher/question_form.html", bank=bank, form=form, kind=QUESTION_TYPES[kind],
                           question=question, answers=answers, general_errors=general,
                           fields=COMMON_FORM_FIELDS[:2] + TYPE_FORM_FIELDS[kind] + COMMON_FORM_FIELDS[2:]
                           ), 400 if form.is_submitted() else 200


@bp.route("/banks/<int:bank_id>/questions/new", methods=["GET", "POST"])
def new_question(bank_id: int):
    """Write a new question of the type named in the query string, in the teacher's own bank."""
    bank = _owned_bank(bank_id)
    kind = request.args.get("type") or "single_choice"
    if kind not in QUESTION_TYPES:
        abort(404)
    return _question_form(bank, kind)


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(bank_id: int, question_id: int):
    """Change a question of the teacher's own bank: a change is a new version; answers keep theirs."""
    bank = _owned_bank(bank_id)
    question = _live_question(bank, question_id)
    return _question_form(bank, question.type, question)


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/preview")
def preview_question(bank_id: int, question_id: int):
    """The question as a student sees it, and the feedback for the right answer."""
    bank = _visible_bank(bank_id)
    question = _live_question(bank, question_id)
    return render_template("teacher/question_preview.html", bank=bank, question=question,
                           **authoring.preview(question))


@bp.post("/banks/<int:bank_id>/questions/<int:question_id>/archive")
def archive_question(bank_id: int, question_id: int):
    """Take a question out of the bank and its quizzes; its answers are kept."""
    bank = _owned_bank(bank_id)
    question = _live_question(bank, question_id)
    answers = authoring.archive_question(question)
    kept = (f"its {answers} answer{'s are' if answers != 1 else ' is'} kept, with their grading" if answers
            else "it had no answers")
    flash(f"Archived the question “{question.key}”: students no longer get it, and {kept}.", "success")
    return redirect(url_for("teacher.bank", bank_id=bank.id))
