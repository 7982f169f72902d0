"""Helpers for driving the pages through Flask's test client."""

from __future__ import annotations

import html
import re

from tests.support import PASSWORD


def signed_in(app, username: str):
    """A fresh test client signed in as ``username``."""
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, f"could not sign in as {username}"
    return client


def page(response, status: int = 200) -> str:
    """A page's text with entities decoded, for asserting on what a person reads."""
    assert response.status_code == status, (response.status_code, response.headers.get("Location"))
    return html.unescape(response.get_data(as_text=True))


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


class Auth:
    def __init__(self, client):
        self.client = client

    def login(self, username: str = "student", password: str = PASSWORD):
        return self.client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self.client.post("/auth/logout")


class QueryCounter:
    """Counts the SQL statements run inside a ``with`` block."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)
