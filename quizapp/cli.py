"""Flask commands: thin wrappers over the services."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from quizapp.domain.bank_format import BankError
from quizapp.models import Role
from quizapp.services import banks, users

banks_cli = AppGroup("banks", help="Check and load question banks.")
users_cli = AppGroup("users", help="Manage accounts.")


@banks_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def validate_banks(paths: tuple[str, ...]) -> None:
    """Check bank files (or folders of them) and print every problem as file:line: message."""
    try:
        documents = banks.validate_files(paths)
    except BankError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from None
    for document in documents:
        questions, quizzes = len(document.questions), len(document.quizzes)
        click.echo(f"{document.file}: ok ({questions} question{'s' * (questions != 1)}, "
                   f"{quizzes} quiz{'zes' * (quizzes != 1)})")


@banks_cli.command("load")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
def load_banks(paths: tuple[str, ...]) -> None:
    """Validate, then load bank files all or nothing; reloading updates questions by id."""
    try:
        reports = banks.load_files(paths)
    except BankError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Nothing was loaded.", err=True)
        raise SystemExit(1) from None
    for report in reports:
        click.echo(str(report))


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
