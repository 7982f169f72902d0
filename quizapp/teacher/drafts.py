"""Teacher views for banks drafted from an article: check an article and create a bank of drafts from
it, review the drafts (accept, edit, discard), and update the bank from a changed article. Every route
is for the teacher's own banks: another teacher's, or a bundled one, is a 404."""

from pathlib import Path

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from quizapp.domain.bank_format import BankError
from quizapp.domain.question_types import question_type
from quizapp.services.banks import authoring, drafting, linting, visibility
from quizapp.teacher.blueprint import bp
from quizapp.teacher.draft_forms import ArticleForm

NAME_LIMIT = 120  # an article's file name, as shown in messages and the bank's description


@bp.context_processor
def inject_review_counts():
    """``review_counts(bank)`` for the bank page: its drafts and questions needing review."""
    return {"review_counts": drafting.review_counts}


class _NothingGiven(Exception):
    """Neither text nor a file was sent."""


def _article(form: ArticleForm) -> tuple[str, str]:
    """The article's text and name, from the uploaded file if there is one, else from the text box;
    the text is put back in the box so that it travels with the next step."""
    upload = form.file.data
    if upload and upload.filename:
        name = Path(upload.filename).name
        text = drafting.decode_article(upload.read(), name)
    else:
        name, text = (form.name.data or "").strip() or drafting.PASTED, form.text.data or ""
    if not text.strip():
        raise _NothingGiven
    name = name[:NAME_LIMIT]
    form.text.data, form.name.data = text, name
    return text, name


@bp.route("/banks/from-article", methods=["GET", "POST"])
def new_bank_from_article():
    """Paste or upload an article, check what was found in it, then create a bank of its drafts."""
    form = ArticleForm()
    if not form.is_submitted():
        return render_template("teacher/article_new.html", form=form, found=None, problems=[])
    if not form.validate():
        return render_template("teacher/article_new.html", form=form, found=None, problems=[]), 400
    try:
        text, name = _article(form)
    except _NothingGiven:
        flash("Paste the article's text or choose its file, then check it.", "warning")
        return redirect(url_for("teacher.new_bank_from_article"))
    except BankError as error:
        return render_template("teacher/article_new.html", form=form, found=None, problems=error.problems), 400
    found = drafting.preview(text, name)
    problems = found.problems
    if form.confirm.data and found.ok:
        try:
            bank = drafting.create_bank(current_user, text, name, title=form.title.data or "")
        except BankError as error:
            problems = error.problems
        else:
            flash(f"Created “{bank.title}” with {len(found.drafts)} draft questions. Students get none of them "
                  "until you accept or edit each one.", "success")
            return redirect(url_for("teacher.review_drafts", bank_id=bank.id))
    return render_template("teacher/article_new.html", form=form, found=found,
                           problems=problems), 200 if found.ok and not problems else 400


@bp.route("/banks/<int:bank_id>/update-from-article", methods=["GET", "POST"])
def update_from_article(bank_id: int):
    """Check a changed article against the bank, then update the bank from it and show what changed."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    form = ArticleForm()
    page = "teacher/article_update.html"
    if not form.is_submitted():
        return render_template(page, bank=bank, form=form, report=None, problems=[])
    if not form.validate():
        return render_template(page, bank=bank, form=form, report=None, problems=[]), 400
    try:
        text, name = _article(form)
    except _NothingGiven:
        flash("Paste the changed article's text or choose its file, then check it.", "warning")
        return redirect(url_for("teacher.update_from_article", bank_id=bank.id))
    except BankError as error:
        return render_template(page, bank=bank, form=form, report=None, problems=error.problems), 400
    if form.confirm.data:
        try:
            report = drafting.reimport(bank, text, name)
        except BankError as error:
            return render_template(page, bank=bank, form=form, report=None, problems=error.problems), 400
        return render_template(page, bank=bank, form=form, report=report, problems=[], applied=True)
    report = drafting.plan_reimport(bank, text, name)
    problems = report.article.problems
    return render_template(page, bank=bank, form=form, report=report, problems=problems), 400 if problems else 200


@bp.route("/banks/<int:bank_id>/drafts")
def review_drafts(bank_id: int):
    """The bank's drafts and questions needing review, by key point, FAQ and section, to accept,
    edit or discard, each with what the linter finds in it: the moment to fix a draft is before it is
    published."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    groups = drafting.awaiting_review(bank)
    return render_template("teacher/drafts.html", bank=bank, groups=groups, question_type=question_type,
                           waiting=sum(len(questions) for _, questions in groups),
                           warnings=linting.bank_warnings(bank))


@bp.post("/banks/<int:bank_id>/questions/<int:question_id>/accept")
def accept_draft(bank_id: int, question_id: int):
    """Publish a draft, or mark a question needing review as reviewed."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    question = authoring.get_live_question(bank, question_id)
    if question.draft or question.review_note:
        message = (f"Accepted the draft “{question.key}”: students can now get it." if question.draft
                   else f"Marked “{question.key}” as reviewed.")
        drafting.accept(question)
        flash(message, "success")
    else:
        flash(f"“{question.key}” was neither a draft nor waiting for review.", "warning")
    return redirect(url_for("teacher.review_drafts", bank_id=bank.id))


@bp.post("/banks/<int:bank_id>/questions/<int:question_id>/discard")
def discard_draft(bank_id: int, question_id: int):
    """Throw a draft away (a published question is archived from the bank page instead)."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    question = authoring.get_live_question(bank, question_id)
    key = question.key
    try:
        deleted = drafting.discard(question)
    except drafting.NotADraft as error:
        flash(f"Not discarded: {error}.", "error")
    else:
        flash(f"Discarded the draft “{key}”." if deleted
              else f"Archived the draft “{key}”: it had been asked, and its answers are kept.", "success")
    return redirect(url_for("teacher.review_drafts", bank_id=bank.id))


@bp.post("/banks/<int:bank_id>/drafts/accept-all")
def accept_all_drafts(bank_id: int):
    """Accept every draft and mark every question needing review as reviewed."""
    bank = visibility.get_owned_bank(current_user, bank_id)
    accepted = drafting.accept_all(bank)
    flash(f"Accepted {accepted} question{'s' if accepted != 1 else ''}: students can now get "
          f"{'them' if accepted != 1 else 'it'}." if accepted else "Nothing was waiting for review.",
          "success" if accepted else "warning")
    return redirect(url_for("teacher.review_drafts", bank_id=bank.id))
