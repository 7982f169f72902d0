"""Flask commands: thin wrappers over the services."""

from __future__ import annotations

import json

import click
from flask import Flask
from flask.cli import AppGroup

from quizapp.domain.bank_format import BankError
from quizapp.formatting import school_zone
from quizapp.models import Role
from quizapp.services import closing, practice, school, users
from quizapp.services.banks import interchange, linting, loading

banks_cli = AppGroup("banks", help="Check and load question banks.")
users_cli = AppGroup("users", help="Manage accounts.")
attempts_cli = AppGroup("attempts", help="Look after attempts.")
practice_cli = AppGroup("practice", help="Spaced practice's review history.")


@practice_cli.command("store-days")
def store_days() -> None:
    """Store each class's practice figures at the start of today and of each week back, where not stored
    yet: a class's practice page then reads them instead of counting every card of every student. Run it
    from cron just after midnight in the school's time zone, and before serving (``make run``, ``make
    serve``); a day not stored is counted when the page is read, with the same result, more slowly."""
    made, classes = practice.store_days(school_zone())
    click.echo(f"stored {made} day{'s' * (made != 1)} for {classes} class{'es' * (classes != 1)}")


@practice_cli.command("export-reviews")
@click.argument("path", type=click.File("w"))
def export_reviews(path) -> None:
    """Write every practice review, oldest first, as JSON lines in the form of the fsrs package's ReviewLog
    (card_id, rating 1-4, review_datetime, review_duration in ms), to refit the scheduler's parameters with
    its optimizer (``pip install 'fsrs[optimizer]'``). PATH - writes to standard output."""
    count = 0
    for log in practice.review_logs():
        path.write(json.dumps(log.to_dict()) + "\n")
        count += 1
    click.echo(f"wrote {count} review{'s' * (count != 1)}", err=True)


@attempts_cli.command("close-overdue")
def close_overdue() -> None:
    """Finish every attempt past its deadline at its deadline, with the answers it has, and recount the
    results it counts in. Pages already count such an attempt as finished without writing; this stores it.
    Run it from cron (every few minutes) and before serving (``make run``, ``make serve``)."""
    closed = closing.close_all_overdue()
    click.echo(f"closed {closed} overdue attempt{'s' * (closed != 1)}")


@banks_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate_banks(paths: tuple[str, ...]) -> None:
    """Check bank files (or folders of them) and print every problem as file:line: message."""
    try:
        documents = loading.validate_files(paths)
    except BankError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    for document in documents:
        questions, quizzes = len(document.questions), len(document.quizzes)
        click.echo(f"{document.file}: ok ({questions} question{'s' * (questions != 1)}, "
                   f"{quizzes} quiz{'zes' * (quizzes != 1)})")


@banks_cli.command("lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--quiet", "-q", is_flag=True, help="Print the warnings only, without a summary for each file.")
def lint_banks(paths: tuple[str, ...], quiet: bool) -> None:
    """Check bank files (or folders of them) against the item-writing rules and print each warning as
    file:line: question-id: code message. Exit status 1 if there is any warning, 2 if a file is not a
    valid bank (its problems printed as by validate), 0 otherwise."""
    try:
        reports = linting.lint_files(paths)
    except BankError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Fix these problems (see 'banks validate') before linting.", err=True)
        raise SystemExit(2) from None
    for report in reports:
        for warning in report.warnings:
            click.echo(str(warning))
        if not quiet:
            count = len(report.warnings)
            click.echo(f"{report.file}: {count or 'no'} warning{'s' * (count != 1)} "
                       f"({report.questions} question{'s' * (report.questions != 1)})")
    if any(report.warnings for report in reports):
        raise SystemExit(1)


@banks_cli.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def load_banks(paths: tuple[str, ...]) -> None:
    """Validate, then load bank files all or nothing; reloading updates questions by id."""
    try:
        reports = loading.load_files(paths)
    except BankError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was loaded.", err=True)
        raise SystemExit(1) from None
    for report in reports:
        click.echo(str(report))


@banks_cli.command("export")
@click.argument("bank")
@click.option("--format", "fmt", type=click.Choice(interchange.FORMATS), default="yaml", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write here, not to stdout.")
def export_bank(bank: str, fmt: str, output: str | None) -> None:
    """Write the bank with this id as YAML (lossless), GIFT, Aiken, Moodle XML or CSV."""
    try:
        text, warnings = interchange.export_bank(bank, fmt)
    except interchange.ExportError as error:
        raise click.ClickException(str(error)) from None
    for warning in warnings:
        click.echo(f"not exported: {warning}", err=True)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        click.echo(text, nl=False)


@banks_cli.command("import")
@click.argument("path", type=click.Path())
@click.option("--into", "bank", required=True, help="The id of the teacher's bank the questions join.")
@click.option("--source", default="section 1", show_default=True,
              help="The part of the bank's source the new questions are drawn from.")
@click.option("--format", "fmt", type=click.Choice(["gift", "aiken", "moodle-xml"]),
              help="The file's format (by default, from its extension: .gift, .txt, .xml).")
@click.option("--dry-run", is_flag=True, help="Say what the import would do, and write nothing.")
@click.option("--as-new", is_flag=True,
              help="Add every question as a new one, even those the file names by an id the bank has.")
def import_questions(path: str, bank: str, source: str, fmt: str | None, dry_run: bool, as_new: bool) -> None:
    """Add the questions of a GIFT, Aiken or Moodle XML file to a teacher's bank, all or nothing; a question
    the file names by an id the bank has updates it. Prints what happens to each question."""
    try:
        plan = interchange.import_questions(path, bank, source, fmt, dry_run=dry_run, update_named=not as_new)
    except BankError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was imported.", err=True)
        raise SystemExit(1) from None
    for line in plan.lines():
        click.echo(line)
    click.echo(plan.summary())
    if dry_run:
        click.echo("Nothing was written (--dry-run).")


@banks_cli.command("draft")
@click.argument("article", type=click.Path())
@click.option("--id", "bank", required=True, help="The id the drafted bank will have (lowercase, digits, hyphens).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), required=True,
              help="The bank file to write; its source names the article by its path from there.")
def draft_bank(article: str, bank: str, output: str) -> None:
    """Draft a bank from an article (plain text, Markdown or the bundled layout) to edit, then validate and load."""
    try:
        text, found, notes = interchange.draft_bank(article, bank, output=output)
    except BankError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    for line in found:
        click.echo(f"found: {line}", err=True)
    for note in notes:
        click.echo(f"note: {note}", err=True)
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    click.echo(f"Wrote drafts to {output}. Each is marked 'draft: true' and is never asked while it is: edit them, "
               f"delete that line from each one you keep, then run: flask --app quizapp banks validate {output}")


@users_cli.command("bootstrap")
def bootstrap() -> None:
    """Create the first teacher with a random password, if there is no teacher yet."""
    created = users.bootstrap_teacher()
    if created is None:
        click.echo("A teacher account exists; sign in with it (or add one with 'flask users create').")
        return
    user, password = created
    click.echo("Created the first teacher account. This password is shown only once:")
    click.echo(f"  username: {user.username}")
    click.echo(f"  password: {password}")
    if school.time_zone() is None:
        click.echo("After signing in, choose the school's time zone (every assignment's times are in it).")


@users_cli.command("create")
@click.argument("username")
@click.option("--name", "display_name", help="Name shown to others (defaults to the username).")
@click.option("--teacher", is_flag=True, help="Give the account the teacher role.")
@click.password_option()
def create(username: str, display_name: str | None, teacher: bool, password: str) -> None:
    """Add an account."""
    try:
        user = users.create_user(username, display_name or username, password,
                                 Role.TEACHER if teacher else Role.STUDENT)
    except users.UsernameTaken:
        raise click.ClickException(f"the username '{username}' is taken") from None
    click.echo(f"Created {user.role.value} '{user.username}'.")


def register(app: Flask) -> None:
    app.cli.add_command(banks_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(attempts_cli)
    app.cli.add_command(practice_cli)
