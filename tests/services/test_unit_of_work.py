"""One unit of work per public service call (``quizapp/services/unit_of_work.py``): a service that fails
part-way leaves nothing behind, units nested in another commit once, at the outermost, and a failure in a
nested unit rolls back the outer one."""

from __future__ import annotations

import contextlib
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from quizapp.domain.bank_format import BankError
from quizapp.extensions import db
from quizapp.models import Bank, Membership, Question, Role, User, utcnow
from quizapp.services import classrooms, roster, users
from quizapp.services.banks import loading, sharing, writing
from quizapp.services.unit_of_work import NestedUnitFailed, depth, transactional, unit_of_work

ROOT = Path(__file__).parent.parent.parent
TINY_BANK = Path(__file__).parent.parent / "data" / "tiny.yaml"
PASSWORD = "correct horse battery"


class Boom(Exception):
    """A collaborator failing part-way through a service call."""


def count(model) -> int:
    """Rows of ``model`` as another connection sees them: only what was committed."""
    with db.engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(model)).scalar_one()


def left(model) -> int:
    """Rows of ``model`` after a failed call: committed, and as the session sees them (nothing left pending
    for a later commit to write), which must agree."""
    in_session = db.session.scalar(select(func.count()).select_from(model))
    assert in_session == count(model)
    return in_session


@pytest.fixture
def commits(app):
    """The commits the test's session makes, counted."""
    made = []
    session = db.session()
    listener = lambda _session: made.append(depth())  # noqa: E731
    event.listen(session, "after_commit", listener)
    yield made
    event.remove(session, "after_commit", listener)


@pytest.fixture
def teacher(app):
    return users.create_user("tina", "Tina", PASSWORD, Role.TEACHER)


@pytest.fixture
def second_bank(tmp_path) -> Path:
    """A copy of the tiny bank under another id: two banks to load at once."""
    path = tmp_path / "second.yaml"
    path.write_text(TINY_BANK.read_text(encoding="utf-8").replace("id: tiny\n", "id: second\n", 1), encoding="utf-8")
    (tmp_path / "tiny.txt").write_text((TINY_BANK.parent / "tiny.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- a failing call leaves nothing


def test_a_join_that_fails_after_its_first_flush_leaves_no_membership(teacher, monkeypatch):
    classroom = classrooms.create_classroom(teacher, "7B")
    ana = users.create_user("ana", "Ana", PASSWORD)

    def failing_recount(classroom_id, user_id):
        assert db.session.scalar(select(func.count()).select_from(Membership)) == 1  # written, not committed
        raise Boom()

    monkeypatch.setattr(classrooms, "recount_member", failing_recount)
    with pytest.raises(Boom):
        classrooms.join(ana, classroom.join_code)
    assert left(Membership) == 0
    assert depth() == 0


def test_a_class_list_that_fails_half_way_adds_nobody(teacher, monkeypatch):
    classroom = classrooms.create_classroom(teacher, "7B")
    real = users.give_one_time_password
    given = []

    def failing_second(user, now=None):
        given.append(user.display_name)
        if len(given) == 2:
            db.session.flush()  # the first student and their membership are written by now
            assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
            raise Boom()
        return real(user, now)

    monkeypatch.setattr(users, "give_one_time_password", failing_second)
    with pytest.raises(Boom):
        roster.add_students(classroom, "Ana Lima\nBen Okafor\nCai Wen")
    assert left(User) == 1  # the teacher
    assert left(Membership) == 0


def test_a_bank_copy_that_fails_after_its_store_leaves_no_copy(teacher, tiny_bank, monkeypatch):
    real = writing.store

    def store_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        assert db.session.scalar(select(func.count()).select_from(Bank)) == 2  # the copy, written
        raise Boom()

    monkeypatch.setattr(sharing, "store", store_then_fail)
    bank = db.session.scalar(select(Bank))
    questions = count(Question)
    with pytest.raises(Boom):
        sharing.copy_bank(bank, teacher)
    assert left(Bank) == 1
    assert left(Question) == questions
    assert [b.key for b in db.session.scalars(select(Bank))] == ["tiny"]


def test_loading_two_banks_where_the_second_fails_loads_neither(app, second_bank, monkeypatch):
    real = writing.store
    stored = []

    def second_fails(bank, document, **kwargs):
        stored.append(real(bank, document, **kwargs))
        if len(stored) == 2:
            raise Boom()
        return stored[-1]

    monkeypatch.setattr(loading, "store", second_fails)
    with pytest.raises(Boom):
        loading.load_files([TINY_BANK, second_bank])
    assert len(stored) == 2
    assert left(Bank) == 0
    assert left(Question) == 0


def test_an_extension_whose_attempts_cannot_follow_is_not_kept(teacher, tiny_bank, monkeypatch):
    from quizapp.models import AssignmentExtension
    from quizapp.services import assignments

    classroom = classrooms.create_classroom(teacher, "7B")
    ana = users.create_user("ana", "Ana", PASSWORD)
    classrooms.join(ana, classroom.join_code)
    now = utcnow()
    assignment = classrooms.create_assignment(classroom, tiny_bank["everything"], now - timedelta(days=1),
                                              now + timedelta(days=1), attempts_allowed=1)

    def failing_follow(*args, **kwargs):
        raise Boom()

    monkeypatch.setattr(assignments, "_follow_terms", failing_follow)
    with pytest.raises(Boom):
        assignments.extend_for_student(assignment, ana.id, now + timedelta(days=3), 2)
    assert left(AssignmentExtension) == 0


# --------------------------------------------------------------------------- nesting


def test_a_service_on_its_own_commits_once(app, commits):
    users.create_user("ana", "Ana", PASSWORD)
    assert commits == [1]  # inside its unit, as it ends
    assert count(User) == 1


def test_nested_units_commit_once_at_the_outermost(app, commits):
    with unit_of_work():
        users.create_user("ana", "Ana", PASSWORD)
        assert depth() == 1
        users.create_user("ben", "Ben", PASSWORD)
        assert commits == []
        assert count(User) == 0  # nothing committed yet: another connection sees neither
    assert commits == [1]
    assert count(User) == 2
    assert depth() == 0


def test_loading_several_banks_stores_each_inside_one_unit(app, second_bank, commits):
    loading.load_files([TINY_BANK, second_bank])
    assert commits == [1]
    assert count(Bank) == 2


def test_a_decorated_service_calling_another_commits_once(app, commits):
    @transactional
    def two_accounts():
        users.create_user("ana", "Ana", PASSWORD)
        users.create_user("ben", "Ben", PASSWORD)
        return depth()

    assert two_accounts() == 1
    assert commits == [1]
    assert count(User) == 2


def test_an_exception_in_a_nested_unit_rolls_back_the_outer_one(app, teacher):
    bad = {"version": 1, "id": "broken", "title": "Broken", "questions": []}
    with pytest.raises(BankError), unit_of_work():
        users.create_user("ana", "Ana", PASSWORD)
        writing.store(None, bad, owner_id=teacher.id)
    assert count(User) == 1  # the teacher only
    assert count(Bank) == 0
    assert depth() == 0


def test_an_outer_unit_that_swallows_a_nested_failure_cannot_commit(app, teacher, commits):
    before = len(commits)
    with pytest.raises(NestedUnitFailed), unit_of_work():
        users.create_user("ana", "Ana", PASSWORD)
        with contextlib.suppress(users.UsernameTaken):  # taken: the nested unit rolls back
            users.create_user("tina", "Tina again", PASSWORD)
        users.create_user("ben", "Ben", PASSWORD)
    assert len(commits) == before
    assert [u.username for u in db.session.scalars(select(User))] == ["tina"]
    # The session is usable again, and the next unit commits as usual.
    users.create_user("cai", "Cai", PASSWORD)
    assert count(User) == 2


def test_a_failing_outermost_unit_rolls_back_and_reraises(app):
    with pytest.raises(Boom), unit_of_work():
        db.session.add(User(username="ana", display_name="Ana", password_hash="x", role=Role.STUDENT))
        db.session.flush()
        raise Boom()
    assert count(User) == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


# --------------------------------------------------------------------------- no commit by hand


def test_services_commit_and_roll_back_only_through_the_unit_of_work():
    services = ROOT / "quizapp" / "services"
    by_hand = re.compile(r"db\.session\.(commit|rollback)\(")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(services.rglob("*.py"))
        if path.name != "unit_of_work.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if by_hand.search(line)
    ]
    assert not found, "commit or roll back with unit_of_work()/@transactional instead:\n" + "\n".join(found)
