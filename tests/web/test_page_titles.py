"""Every page a person can open has a title and a main heading of its own: two different pages never
share one, so a tab, a history entry or a screen reader's list of headings says which page it is.

The pages walked are every GET route of the app, filled in as the authorization matrix fills them, for
each person of its world (a visitor, two students and two teachers); pages that are not HTML, or that
this person may not open, are left out.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict

import pytest

from tests.support.pages import signed_in
from tests.web.test_authorization_matrix import EXCLUDED, ROLES, World, rules_by_endpoint

TITLE = re.compile(r"<title>(.*?)</title>", re.S)
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def pages_of(app, world, role) -> dict[str, tuple[str, str]]:
    """endpoint → (title, first-level heading) of each page ``role`` opens."""
    client = app.test_client() if role == "anon" else signed_in(app, world.people()[role].username)
    found = {}
    for endpoint, rule in sorted(rules_by_endpoint(app).items()):
        if endpoint in EXCLUDED or "GET" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        ids = world.ids(endpoint)
        path = app.url_map.bind("localhost").build(endpoint, {a: ids[a] for a in rule.arguments})
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        text = response.get_data(as_text=True)
        found[endpoint] = (_text(TITLE.search(text).group(1)), _text(H1.search(text).group(1)))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_two_pages_a_person_opens_share_a_title_or_heading(app, make_user, tiny_bank, role):
    world = World(make_user, tiny_bank)
    pages = pages_of(app, world, role)
    assert len(pages) >= {"anon": 3, "student": 10, "outsider": 6, "teacher": 20, "other": 8}[role], pages
    for kind, index in (("title", 0), ("heading", 1)):
        by_text = defaultdict(list)
        for endpoint, texts in pages.items():
            by_text[texts[index]].append(endpoint)
        shared = {text: endpoints for text, endpoints in by_text.items() if len(endpoints) > 1}
        assert not shared, f"{role}: pages sharing a {kind}: {shared}"


def test_the_home_pages_and_class_lists_are_named_apart(app, make_user, tiny_bank):
    world = World(make_user, tiny_bank)
    student, teacher = pages_of(app, world, "student"), pages_of(app, world, "teacher")
    assert student["student.index"] == ("To do · quizapp", "To do")
    assert student["student.classes"] == ("My classes · quizapp", "My classes")
    assert teacher["teacher.index"] == ("Teaching · quizapp", "Teaching")
    # Between the two people too: no page of one shares its title with a different page of the other.
    for endpoint, (title, _) in teacher.items():
        clashes = [e for e, (t, _) in student.items() if t == title and e != endpoint]
        assert not clashes, (endpoint, title, clashes)
