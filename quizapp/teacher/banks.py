"""Teacher views for question banks: the bundled ones read-only, a teacher's own to change and to
share read-only; search, export, import, authoring, and bulk actions. A bank neither bundled, nor
the teacher's own, nor shared with them is a 404, and so is every change to a bank not their own."""

from dataclasses import replace
from pathlib import Path

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from quizapp.domain.authoring import COMMON_FORM_FIELDS, TYPE_FORM_FIELDS
from quizapp.domain.bank_format import BankError
from quizapp.domain.question_types import QUESTION_TYPES
from quizapp.services.banks import authoring, interchange, linting, managing, sharing, visibility
from quizapp.teacher.blueprint import bp
from quizapp.teacher.forms import (
    BankForm,
    BulkQuestionsForm,
    CopyQuestionForm,
    ImportForm,
    QuestionForm,
    QuestionSearchForm,
    ShareForm,
)
from quizapp.teacher.import_forms import (
    BadUpload,
    ConfirmImportForm,
    PendingUpload,
    StaleUpload,
    read_upload,
    sign_upload,
)


def _questions(n: int) -> str:
    return f"{n} question{'s' if n != 1 else ''}"


@bp.route("/banks")
def banks():
    """The bundled banks (read-only, to copy), the teacher's own, and those shared with them, each with
    what it holds and what the teacher can do with it."""
    shelf = visibility.shelf(current_user)
    every = [*shelf.bundled, *shelf.own, *(bank for bank, _ in shelf.shared)]
    return render_template("teacher/banks.html", shelf=shelf, counts=authoring.bank_counts(every))


def _search_form(bank) -> QuestionSearchForm:
    form = QuestionSearchForm(request.args)
    form.type.choices = [SelectChoice("", "Any")] + [SelectChoice(n, t.label) for n, t in QUESTION_TYPES.items()]
    form.source.choices = [SelectChoice("", "Any")] + [SelectChoice(p.reference, p.label) for p in bank.parts]
    return form


def _import_form(bank, sent: bool = False) -> ImportForm:
    """The import form, filled from the request if it is the one ``sent``."""
    form = ImportForm() if sent else ImportForm(formdata=None)
    form.source.choices = [SelectChoice(p.reference, f"{p.label}: {p.title}") for p in bank.parts]
    return form


def _filters(form: QuestionSearchForm) -> dict[str, str]:
    """The search filters in the query string, to come back to the same list after a bulk action."""
    return {name: request.args[name] for name in form.data if request.args.get(name)}


def _about(bank, tab: str) -> dict:
    """What every page of a bank shows above its own part: whose it is, and the tabs (``tab`` the current)."""
    own = bank.owner_id == current_user.id
    return {"bank": bank, "own": own, "owner": None if own else visibility.owner(bank), "tab": tab}


def _bank_page(bank, status: int = 200, **forms):
    """The bank's questions, filtered as the query string says; for its owner, with the bulk actions (the
    form given in ``forms`` as it was sent, with its errors)."""
    form = _search_form(bank)
    questions = []
    if form.validate():
        questions = managing.search_questions(bank, form.q.data or "", form.type.data or "", form.source.data or "",
                                              (form.tag.data or "").strip(), int(form.difficulty.data or 0) or None,
                                              form.status.data or "")
    else:
        status = 400
    context = {**_about(bank, "questions"), "form": form, "questions": questions, "filters": _filters(form),
               "bulk_problems": [], "bulk_form": BulkQuestionsForm(formdata=None),
               "warnings": linting.bank_warnings(bank), **forms}
    return render_template("teacher/bank.html", **context), status


@bp.route("/banks/<int:bank_id>")
def bank(bank_id: int):
    """A bank's questions, key included, filtered by text, type, part of the text, tag, difficulty and status."""
    return _bank_page(visibility.get_visible_bank(current_user, bank_id))


@bp.post("/banks/<int:bank_id>/copy")
def copy_bank(bank_id: int):
    """Copy a bank (bundled, shared or one's own) to change it: the copy is the teacher's own."""
    copy = sharing.copy_bank(visibility.get_visible_bank(current_user, bank_id), current_user)
    flash(f"Copied to “{copy.title}”, which you can change.", "success")
    return redirect(url_for("teacher.bank", bank_id=copy.id))


@bp.route("/banks/<int:bank_id>/download")
def bank_downloads(bank_id: int):
    """The formats the bank can be downloaded in, with what each keeps."""
    bank = visibility.get_visible_bank(current_user, bank_id)
    return render_template("teacher/bank_download.html", formats=interchange.FORMATS, **_about(bank, "download"))


@bp.route("/banks/<int:bank_id>/export/<fmt>")
def export_bank(bank_id: int, fmt: str):
    """Download the bank as YAML, GIFT, Aiken, Moodle XML or CSV."""
    bank = visibility.get_visible_bank(current_user, bank_id)
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


def _import_page(bank, form: ImportForm | None = None, problems: list[str] | None = None, status: int = 200):
    """The Import tab: the upload form (as sent, with its errors) and the problems of a file refused."""
    return render_template("teacher/bank_import.html", import_form=form or _import_form(bank),
                           import_problems=problems or [], **_about(bank, "import")), status


@bp.route("/banks/<int:bank_id>/import", methods=["GET", "POST"])
def import_into_bank(bank_id: int):
    """Upload a GIFT, Aiken or Moodle XML file for the teacher's own bank and see what importing it would
    do; nothing is written until the preview is confirmed (the same route, with the preview's token)."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    if request.method == "GET":
        return _import_page(bank)
    if "token" in request.form:
        return _confirm_import(bank)
    form = _import_form(bank, sent=True)
    problems: list[str] = []
    if form.validate_on_submit():
        upload = form.file.data
        with upload.stream:  # a large upload is a temporary file: closed as soon as it is read
            data = upload.read()
        pending = PendingUpload(bank.id, current_user.id, Path(upload.filename or "upload").name, data,
                                form.format.data or None, form.source.data, update_named=True)
        try:
            return _import_preview(bank, pending)
        except BankError as error:
            problems = [str(p) for p in error.problems]
    return _import_page(bank, form, problems, 400)


def _import_preview(bank, pending: PendingUpload, status: int = 200, changed: bool = False):
    """What importing the pending file would do, with the form that confirms it; BankError for a bad file."""
    plan = interchange.plan_upload(pending.data, pending.name, bank.key, pending.source, pending.fmt,
                                   pending.update_named)
    token = sign_upload(replace(pending, digest=plan.digest()))
    return render_template("teacher/import_preview.html", bank=bank, plan=plan, pending=pending, changed=changed,
                           form=ConfirmImportForm(formdata=None, token=token)), status


def _confirm_import(bank):
    """Import what the preview showed, or preview it again with the other choice for named questions."""
    form = ConfirmImportForm()
    try:
        pending = read_upload(form.token.data, bank.id, current_user.id)
    except StaleUpload:
        flash("That preview is over an hour old, so nothing was imported: upload the file again.", "warning")
        return redirect(url_for("teacher.import_into_bank", bank_id=bank.id))
    except BadUpload:
        abort(400)
    try:
        if form.as_new.data or form.as_update.data:
            return _import_preview(bank, replace(pending, update_named=bool(form.as_update.data)))
        try:
            plan = interchange.import_upload(pending.data, pending.name, bank.key, pending.source, pending.fmt,
                                             pending.update_named, expected=pending.digest)
        except interchange.ImportChanged:
            return _import_preview(bank, pending, 409, changed=True)
    except BankError as error:  # the bank changed so that the file no longer fits it (its parts of the text)
        return _import_page(bank, problems=[str(p) for p in error.problems], status=400)
    drafts = sum(1 for q in plan.questions if q.action == "add" and q.lost_media)
    note = f" Drafts, as they lost what plain text cannot hold: {_questions(drafts)} (Review drafts)." if drafts else ""
    flash(f"Imported {pending.name}: {plan.added} added, {plan.updated} updated, {plan.restored} restored, "
          f"{plan.unchanged} unchanged.{note}", "success")
    return redirect(url_for("teacher.bank", bank_id=bank.id))


# --- the bank itself: edit, delete, share -------------------------------------------------------------


@bp.route("/banks/<int:bank_id>/edit", methods=["GET", "POST"])
def edit_bank(bank_id: int):
    """Change the title and description of the teacher's own bank."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    form = BankForm(obj=bank)
    if form.validate_on_submit():
        managing.update_bank(bank, form.title.data, form.description.data or "")
        flash("Saved the bank's title and description.", "success")
        return redirect(url_for("teacher.bank", bank_id=bank.id))
    return render_template("teacher/bank_edit.html", form=form, **_about(bank, "details")
                           ), 400 if form.is_submitted() else 200


@bp.route("/banks/<int:bank_id>/delete", methods=["GET", "POST"])
def delete_bank(bank_id: int):
    """Ask, then delete the teacher's own bank; one whose questions students have had is archived instead."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    if request.method == "GET":
        return render_template("teacher/bank_delete.html", bank=bank, in_use=managing.bank_in_use(bank))
    title = bank.title
    try:
        deleted = managing.delete_bank(bank)
    except sharing.LibraryError as error:
        flash(str(error), "error")
        return redirect(url_for("teacher.bank", bank_id=bank_id))
    if deleted:
        flash(f"Deleted the bank “{title}”.", "success")
    else:
        flash(f"Archived the bank “{title}” instead of deleting it, as students have had its questions or "
              "one of its quizzes is set to a class: it is no longer listed and its quizzes can no longer be set, "
              "and every answer and gradebook is kept.", "success")
    return redirect(url_for("teacher.banks"))


@bp.route("/banks/<int:bank_id>/shares", methods=["GET", "POST"])
def share_bank(bank_id: int):
    """Who the teacher's own bank is shared with, read-only; share it with another teacher by username."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    form = ShareForm()
    if form.validate_on_submit():
        try:
            teacher, added = sharing.share_bank(bank, form.username.data)
        except sharing.LibraryError as error:
            form.username.errors = [*form.username.errors, str(error)]
        else:
            who = f"{teacher.display_name} ({teacher.username})"
            if added:
                flash(f"Shared with {who}: they can use, copy and download this bank, but not change it.", "success")
            else:
                flash(f"This bank is already shared with {who}.", "info")
            return redirect(url_for("teacher.share_bank", bank_id=bank.id))
    return render_template("teacher/bank_sharing.html", share_form=form, shares=sharing.shares(bank),
                           **_about(bank, "sharing")), 400 if form.is_submitted() else 200


@bp.post("/banks/<int:bank_id>/shares/remove")
def unshare_bank(bank_id: int):
    """Stop sharing the teacher's own bank with the teacher named in the form."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    teacher = sharing.unshare_bank(bank, request.form.get("teacher_id", type=int) or 0)
    if teacher is None:
        flash("This bank was not shared with that teacher.", "info")
    else:
        flash(f"Stopped sharing this bank with {teacher.display_name} ({teacher.username}).", "success")
    return redirect(url_for("teacher.share_bank", bank_id=bank.id))


# --- questions ------------------------------------------------------------------------------------


@bp.post("/banks/<int:bank_id>/questions/bulk")
def bulk_questions(bank_id: int):
    """Add a tag to, remove a tag from, or delete the questions ticked in the teacher's own bank."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    form = BulkQuestionsForm()
    problems: list[str] = []
    if form.validate_on_submit():
        chosen = form.chosen()
        try:
            if form.action.data == "delete":
                deleted, archived = managing.delete_questions(bank, chosen)
                message = [f"Deleted {_questions(deleted)}."] if deleted else []
                if archived:
                    message.append(f"Archived {_questions(archived)} that students have had: their answers are kept.")
                flash(" ".join(message), "success")
            else:
                add = form.action.data == "add_tag"
                tag = form.tag.data or ""
                changed = managing.tag_questions(bank, chosen, tag, add=add)
                tag = tag.strip()
                same = len(set(chosen)) - changed
                if add:
                    note = f" ({same} had it already)" if same else ""
                    flash(f"Added the tag “{tag}” to {_questions(changed)}{note}.", "success")
                else:
                    note = f" ({same} did not have it)" if same else ""
                    flash(f"Removed the tag “{tag}” from {_questions(changed)}{note}.", "success")
        except managing.TagError as error:
            form.tag.errors = [*form.tag.errors, str(error)]
        except sharing.LibraryError as error:
            problems.append(str(error))
        else:
            return redirect(url_for("teacher.bank", bank_id=bank.id, **_filters(_search_form(bank))))
    else:
        # The same message from two fields (the ticked and the listed questions) is said once.
        problems = list(dict.fromkeys(message for messages in form.errors.values() for message in messages))
    return _bank_page(bank, 400, bulk_form=form, bulk_problems=problems)


@bp.post("/banks/<int:bank_id>/questions/<int:question_id>/duplicate")
def duplicate_question(bank_id: int, question_id: int):
    """Copy a question of the teacher's own bank within it, or (``into`` in the form) a question of any
    bank they can read into one of their own; then open the copy's edit form."""
    into_id = request.form.get("into", type=int)
    if into_id is None:
        bank = into = visibility.get_owned_bank(current_user, bank_id)
    else:
        bank = visibility.get_visible_bank(current_user, bank_id)
        into = visibility.get_owned_bank(current_user, into_id)
    question = authoring.get_live_question(bank, question_id)
    try:
        copy = managing.duplicate_question(question, into)
    except sharing.LibraryError as error:
        flash(f"The question was not copied into “{into.title}”: {error}", "error")
        return redirect(url_for("teacher.preview_question", bank_id=bank.id, question_id=question.id))
    where = "" if into.id == bank.id else f" in “{into.title}”"
    flash(f"Copied “{question.key}” as “{copy.key}”{where}: change it here.", "success")
    return redirect(url_for("teacher.edit_question", bank_id=into.id, question_id=copy.id))


def _question_form(bank, kind: str, question=None):
    """Render or save the question form; a problem re-renders it (400) with what was typed."""
    form = QuestionForm(data=authoring.form_data(question) if question is not None else None)
    form.source.choices = [SelectChoice(p.reference, f"{p.label}: {p.title}") for p in bank.parts]
    if question is not None:
        form.id.render_kw = {"readonly": True}
        form.id.description = "The id names the question's versions, so it stays as it is."
    general: list[str] = []
    awaiting_review = question is not None and (question.draft or bool(question.review_note))
    version_before = question.version if question is not None else None
    if form.is_submitted():
        if not form.validate():  # only the CSRF token, or text no field can hold (said beside its field)
            if "csrf_token" in form.errors:
                general = ["The form had expired, so nothing was saved: send it again."]
        else:
            try:
                saved = authoring.save_question(bank, kind, request.form.to_dict(), question)
            except authoring.AuthoringError as error:
                for name, messages in error.fields.items():
                    form[name].errors = list(form[name].errors or []) + messages
                general = error.general
            else:
                report = saved.report
                what = ("Added" if report.added else "Saved a new version of" if question.version != version_before
                        else "Saved" if report.updated else "No change to")
                flash(f"{what} the question “{saved.key}”.", "success")
                if awaiting_review:  # back to the rest of the drafts and questions to review
                    return redirect(url_for("teacher.review_drafts", bank_id=bank.id))
                return redirect(url_for("teacher.bank", bank_id=bank.id))
    answers = authoring.answers_to_current_version(question) if question is not None else 0
    warnings = linting.bank_warnings(bank).get(question.key, []) if question is not None else []
    return render_template("teacher/question_form.html", bank=bank, form=form, kind=QUESTION_TYPES[kind],
                           question=question, answers=answers, general_errors=general, lint_warnings=warnings,
                           fields=COMMON_FORM_FIELDS[1:2] + TYPE_FORM_FIELDS[kind] + COMMON_FORM_FIELDS[2:]
                           ), 400 if form.is_submitted() else 200


@bp.route("/banks/<int:bank_id>/questions/new", methods=["GET", "POST"])
def new_question(bank_id: int):
    """Write a new question of the type named in the query string, in the teacher's own bank; without a
    type, choose one."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    if request.method == "GET" and not request.args.get("type"):
        return render_template("teacher/bank_add.html", question_types=QUESTION_TYPES, **_about(bank, "add"))
    kind = request.args.get("type") or "single_choice"
    if kind not in QUESTION_TYPES:
        abort(404)
    return _question_form(bank, kind)


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/edit", methods=["GET", "POST"])
def edit_question(bank_id: int, question_id: int):
    """Change a question of the teacher's own bank: a change is a new version; answers keep theirs."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    question = authoring.get_live_question(bank, question_id)
    return _question_form(bank, question.type, question)


@bp.route("/banks/<int:bank_id>/questions/<int:question_id>/preview")
def preview_question(bank_id: int, question_id: int):
    """The question as a student sees it, and the feedback for the right answer; and a form to copy it
    into one of the teacher's own banks."""
    bank = visibility.get_visible_bank(current_user, bank_id)
    question = authoring.get_live_question(bank, question_id)
    copy_form = None
    own_banks = visibility.own_banks(current_user)
    if own_banks:
        copy_form = CopyQuestionForm(formdata=None, into=bank.id)
        copy_form.into.choices = [SelectChoice(b.id, b.title) for b in own_banks]
    return render_template("teacher/question_preview.html", bank=bank, question=question, copy_form=copy_form,
                           **authoring.preview(question))


@bp.post("/banks/<int:bank_id>/questions/<int:question_id>/archive")
def archive_question(bank_id: int, question_id: int):
    """Take a question out of the bank and its quizzes; its answers are kept."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    question = authoring.get_live_question(bank, question_id)
    answers = authoring.archive_question(question)
    kept = (f"its {answers} answer{'s are' if answers != 1 else ' is'} kept, with their grading" if answers
            else "it had no answers")
    flash(f"Archived the question “{question.key}”: students no longer get it, and {kept}.", "success")
    return redirect(url_for("teacher.bank", bank_id=bank.id))
