"""The statistics of an assignment with enough attempts, in real Chromium at a desktop's and a phone's
width: axe finds nothing serious, nothing scrolls sideways, chart labels are drawn at a readable size, and a
teacher accepts a typed answer, then regrades the answers already given, by clicking.

The fixtures (Chromium, the live server, the browser, a page) come from conftest.py, with its
skip-or-fail rule; the audit from tests/support/browser.py. QUIZAPP_SCREENSHOT_DIR, if set, receives each
page audited and the assignment page at both widths.
"""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.models import Quiz, Role
from quizapp.services import classrooms, users
from quizapp.services.banks import sharing
from tests.support.browser import Audit, _screenshot, sign_in
from tests.web.test_statistics_web import _class_takes

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the chromium_path fixture
    expect = None

pytestmark = pytest.mark.browser

# The size in px a chart's 13-unit text is drawn at: the rendered width of its image over its viewBox's.
TEXT_PX = """id => { const svg = document.getElementById(id);
  return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * Number(svg.getAttribute('font-size')); }"""


@pytest.fixture
def school(app, tiny_bank):
    """Five students have taken the teacher's own copy of the tiny bank; ids of what the pages show."""
    tina = users.create_user("tina", "Tina Teacher", "correct horse battery", role=Role.TEACHER)
    copy = sharing.copy_bank(tiny_bank["everything"].bank, tina)
    quiz = db.session.query(Quiz).filter_by(bank_id=copy.id, key="everything").one()
    classroom = classrooms.create_classroom(tina, "Year 10 History")
    assignment = _class_takes(classroom, quiz)
    ids = {"assignment": assignment.id, "classroom": classroom.id}
    db.session.remove()
    return ids


def test_the_statistics_read_at_both_widths_and_a_typed_answer_is_accepted(page, school, width):  # noqa: F811
    audit = Audit(page, "statistics", width)
    sign_in(page, "tina")
    page.goto(f"/teach/assignments/{school['assignment']}")
    expect(page.get_by_role("heading", name="Questions to look at")).to_be_visible()
    expect(page.locator(".item-review").first).to_contain_text("Almost everyone got this right")
    expect(page.locator("table.items .right-choice").first).to_contain_text("right answer")
    for chart in ("histogram", "facility"):
        size = page.evaluate(TEXT_PX, chart)
        assert 11 <= size <= 18, f"{chart} text drawn at {size:.1f} px at {width} px"
    audit("teacher: assignment statistics, enough attempts")
    _screenshot(page, f"statistics-assignment-{width}.png")

    mayor = page.locator(".typed-list li", has_text="“The mayor!”")
    mayor.get_by_role("button", name="Accept “The mayor!” as correct").click()
    expect(page.locator(".flash")).to_contain_text("“The mayor!” is now accepted")
    expect(page.locator(".flash")).to_contain_text("keep their marks until you regrade them")
    expect(mayor).to_contain_text("2 of these still marked wrong")
    audit("teacher: assignment statistics, an answer accepted")
    mayor.get_by_role("button", name="Regrade the 2 answers “The mayor!”").click()
    expect(page.locator(".flash")).to_contain_text("2 answers regraded")
    expect(mayor).not_to_contain_text("still marked wrong")

    lumber = page.locator(".typed-list li", has_text="“Lumber”")
    lumber.get_by_label("also regrade answers already given in your classes").check()
    lumber.get_by_role("button", name="Accept “Lumber” as correct").click()
    expect(page.locator(".flash")).to_contain_text("2 answers regraded")
    _screenshot(page, f"statistics-after-accepting-{width}.png")
    audit.check(2)


def test_a_students_mastery_explains_what_is_held_back_at_both_widths(page, school, width):  # noqa: F811
    audit = Audit(page, "mastery", width)
    sign_in(page, "ben")
    page.goto(f"/classes/{school['classroom']}")
    expect(page.locator(".withheld-parts")).to_contain_text("text is held back while a quiz on")
    size = page.evaluate(TEXT_PX, page.locator("svg[id^=mastery-]").first.get_attribute("id"))
    assert 11 <= size <= 18, f"mastery text drawn at {size:.1f} px at {width} px"
    audit("student: class page with mastery held back")
    audit.check(1)
