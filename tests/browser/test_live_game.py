"""A live game in real Chromium, as a class plays it: the teacher's screen on the projector (1280 px) and
three players, each in a browser of their own, one of them on a phone (390 × 844). The players join with
the PIN read off the host's screen, answer by tapping the pads, one reloads mid-question and comes back to
the same question, answered, with the same score; the host sees the answers come in, the reveal, the top
five and the podium, and each phone its result and its place. Then every live page is audited with axe
at a desktop's width, a phone's and a phone's in the dark scheme, as the rest of the site is
(tests/browser/test_accessibility.py).

The live server (conftest.py) is Werkzeug's threaded server with the app that Flask-SocketIO wraps, so the
socket works as in development: WebSocket where the browser can, long-polling otherwise.

QUIZAPP_SCREENSHOT_DIR, if set, receives the host's and the phone's screens at each step."""

from __future__ import annotations

import re

import pytest

from quizapp.extensions import db
from quizapp.services import live_games as live
from tests.support.browser import VIEWPORTS, Audit, _screenshot, expect, sign_in
from tests.support.builders import member

pytestmark = pytest.mark.browser

DESKTOP = VIEWPORTS["1280"]
PHONE = VIEWPORTS["390"]
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _open(browser, live_server, viewport, **options):
    context = browser.new_context(base_url=live_server, viewport=viewport, **options)
    context.set_default_timeout(10_000)
    return context.new_page()


def _join(page, pin: str, nickname: str) -> None:
    page.goto("/play")
    page.get_by_label("Game PIN").fill(pin)
    page.get_by_label("Nickname").fill(nickname)
    page.get_by_role("button", name="Join the game").click()
    expect(page).to_have_url(re.compile(r"/play/\d+$"))
    expect(page.get_by_role("heading", name="You’re in!")).to_be_visible()


def _settled(page) -> None:
    """Wait for the screen's arrivals (chips, podium steps, bars) to finish moving."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def _pad(page, text: str):
    return page.locator("[data-pad]").get_by_role("button", name=text, exact=True)


@pytest.fixture
def players(browser, live_server, csrf):  # noqa: F811 (fixtures)
    """Three players' browsers, each a context of its own: a phone, and two at a laptop's width."""
    pages = {"Ada": _open(browser, live_server, PHONE, is_mobile=True, has_touch=True),
             "Ben": _open(browser, live_server, {"width": 1000, "height": 800}),
             "Cy": _open(browser, live_server, {"width": 1000, "height": 800})}
    expect.set_options(timeout=10_000)
    yield pages
    for page in pages.values():
        page.context.close()


def test_a_whole_live_game_on_the_projector_and_three_phones(browser, live_server, csrf, teacher, tiny_bank,
                                                             players):  # noqa: F811 (fixtures)
    db.session.remove()
    host = _open(browser, live_server, DESKTOP)
    ada, ben, cy = players["Ada"], players["Ben"], players["Cy"]

    # The teacher finds live games from the teaching page and sets one up.
    sign_in(host, "tina")
    host.get_by_role("link", name="Live games").click()
    expect(host.get_by_role("heading", name="Live games", level=1)).to_be_visible()
    host.get_by_role("link", name="Host a live game").click()
    host.get_by_label("Quiz").select_option(label="Everything (6 questions)")
    speed = host.get_by_label("Speed", exact=True)
    expect(speed).to_be_checked()
    expect(speed).to_have_accessible_description(re.compile(r"^A right answer scores round"))
    host.get_by_label("Accuracy only").check()  # the same points for every right answer: the places are sure
    host.get_by_label("Seconds per question").fill("120")
    host.get_by_role("button", name="Open the lobby").click()
    expect(host).to_have_url(re.compile(r"/teach/live/\d+$"))
    expect(host.get_by_role("heading", name="0 players")).to_be_visible()
    expect(host.get_by_role("img", name=re.compile(r"^QR code"))).to_be_visible()
    expect(host.get_by_role("button", name="Start the game")).to_be_disabled()
    pin = re.sub(r"\D", "", host.locator("[data-pin]").inner_text())
    assert len(pin) == 6, pin
    _screenshot(host, "live-host-1280-01-lobby-empty.png")

    # The players join with that PIN and appear in the lobby as they do.
    for nickname, page in players.items():
        _join(page, pin, nickname)
        expect(host.locator("[data-players]")).to_contain_text(nickname)
    expect(host.get_by_role("heading", name="3 players")).to_be_visible()
    for nickname in players:
        expect(host.get_by_role("button", name=f"Remove {nickname}")).to_be_visible()
    _settled(host)
    _screenshot(host, "live-host-1280-02-lobby.png")
    _screenshot(ada, "live-phone-390-01-lobby.png")
    assert ada.evaluate(SIDEWAYS) <= 0

    # The lock button says whether it is pressed; locked, the lobby says so; unlocked again to go on.
    lock = host.get_by_role("button", name="Lock the lobby", exact=True)
    lock.click()
    expect(lock).to_have_attribute("aria-pressed", "true")
    expect(host.get_by_text("The lobby is locked")).to_be_visible()
    lock.click()
    expect(lock).to_have_attribute("aria-pressed", "false")

    # Question 1: the pads on each phone, the tiles and the countdown on the projector.
    host.get_by_role("button", name="Start the game").click()
    prompt = "When did the harbour open?"
    expect(host.get_by_role("heading", name=prompt)).to_be_visible()
    expect(host.get_by_text("Question 1 of 6")).to_be_visible()
    expect(host.locator("[data-choices] li")).to_have_count(3)
    expect(host.locator("[data-countdown]")).to_have_text(re.compile(r"^1[01]\d$"))
    expect(host.locator("[data-answered]")).to_have_text("0 of 3 answered")
    for page in players.values():
        expect(page.get_by_role("heading", name=prompt)).to_be_visible()
    pads = ada.locator("[data-pad] button")
    expect(pads).to_have_count(3)
    # Colour and shape and words on every pad; on the phone they sit two a row, big enough to hit.
    for index in range(3):
        expect(pads.nth(index)).to_have_class(re.compile(r"colour-\w+"))
        expect(pads.nth(index).locator(".shape")).to_have_class(re.compile(r"shape-\w+"))
    first, second = pads.nth(0).bounding_box(), pads.nth(1).bounding_box()
    assert abs(first["y"] - second["y"]) < 1 and first["height"] >= 100 and first["width"] >= 150, (first, second)
    expect(_pad(ada, "1901")).to_be_focused()  # focus moves to the first pad when a question opens
    _screenshot(host, "live-host-1280-03-question.png")
    _screenshot(ada, "live-phone-390-02-question.png")
    assert ada.evaluate(SIDEWAYS) <= 0

    _pad(ada, "1901").click()
    expect(ada.get_by_role("status").filter(has_text="Answer received")).to_be_visible()
    expect(host.locator("[data-answered]")).to_have_text("1 of 3 answered")
    _screenshot(ada, "live-phone-390-03-answered.png")
    _pad(ben, "1910").click()
    expect(host.locator("[data-answered]")).to_have_text("2 of 3 answered")
    _pad(cy, "1901").click()

    # Everyone has answered: the question closes by itself and the host's screen reveals the answer.
    expect(host.get_by_role("heading", name=prompt)).to_be_visible()
    expect(host.locator("[data-correct]")).to_have_text("1901")
    expect(host.get_by_text("3 answered, 2 right")).to_be_visible()
    bars = host.locator(".live-bars > li")
    expect(bars).to_have_count(3)
    expect(bars.filter(has_text="1901")).to_contain_text("Right answer")
    expect(bars.filter(has_text="1901").locator(".count")).to_have_text("2 players")
    assert bars.filter(has_text="1901").evaluate("e => e.style.getPropertyValue('--share')") == "1"
    assert bars.filter(has_text="1910").evaluate("e => e.style.getPropertyValue('--share')") == "0.5"
    expect(host.get_by_text("The text says it opened in 1901.")).to_be_visible()
    expect(host.locator("[data-passage]")).to_have_text("The harbour opened in 1901.")
    expect(host.locator("[data-source-label]")).to_have_text(re.compile(r"^Key point 1"))
    _screenshot(host, "live-host-1280-04-reveal.png")

    # Each phone its own result.
    expect(ada.get_by_role("heading", name="Right!")).to_be_visible()
    expect(ada.locator("[data-points]")).to_have_text("+1000 points")
    expect(ada.locator("[data-rank]")).to_have_text("1st of 3")
    expect(ada.locator("[data-streak]")).to_have_text("1 in a row")
    expect(ada.locator("[data-key]")).to_have_text("The answer: 1901")
    expect(ben.get_by_role("heading", name="Not this time")).to_be_visible()
    expect(ben.locator("[data-points]")).to_have_text("+0 points")
    expect(ben.locator("[data-rank]")).to_have_text("3rd of 3")
    _screenshot(ada, "live-phone-390-04-right.png")
    ada_score = ada.locator("[data-score]").inner_text()
    assert int(ada_score) > 0

    host.get_by_role("button", name="Show the standings").click()
    expect(host.get_by_role("heading", name="Top five")).to_be_visible()
    rows = host.locator("[data-top] > li")
    expect(rows).to_have_count(3)
    expect(rows.last).to_contain_text("Ben")
    expect(rows.last).to_contain_text("0 pts")
    _screenshot(host, "live-host-1280-05-top-five.png")

    # Question 2, several to pick: Ada picks two pads, sends, and reloads before the question closes.
    host.get_by_role("button", name="Next question").click()
    prompt = "Which goods do ships unload?"
    expect(host.get_by_role("heading", name=prompt)).to_be_visible()
    expect(ada.get_by_role("heading", name=prompt)).to_be_visible()
    _pad(ada, "Timber").click()
    _pad(ada, "Grain").click()
    expect(_pad(ada, "Timber")).to_have_attribute("aria-pressed", "true")
    expect(_pad(ada, "Coal")).to_have_attribute("aria-pressed", "false")
    ada.get_by_role("button", name="Send my choices").click()
    expect(ada.get_by_role("status").filter(has_text="Answer received")).to_be_visible()
    expect(host.locator("[data-answered]")).to_have_text("1 of 3 answered")
    ada.reload()
    expect(ada.get_by_role("heading", name=prompt)).to_be_visible()
    expect(ada.get_by_role("status").filter(has_text="Answer received")).to_be_visible()
    expect(ada.locator("[data-pad] button").first).to_be_hidden()
    expect(ada.locator("[data-score]")).to_have_text(ada_score)
    _screenshot(ada, "live-phone-390-05-reloaded.png")

    # Ben catches Cy up (who answers wrongly), and the standings say so in words beside the arrows.
    _pad(ben, "Timber").click()
    _pad(ben, "Grain").click()
    ben.get_by_role("button", name="Send my choices").click()
    _pad(cy, "Coal").click()
    cy.get_by_role("button", name="Send my choices").click()
    expect(host.locator("[data-correct]")).to_have_text("Timber, Grain")
    expect(host.get_by_text("3 answered, 2 right")).to_be_visible()
    _screenshot(host, "live-host-1280-06-reveal-multiple.png")
    host.get_by_role("button", name="Show the standings").click()
    expect(host.locator("[data-top] > li").filter(has_text="Ben")).to_contain_text("▲ up 1")
    expect(host.locator("[data-top] > li").filter(has_text="Cy")).to_contain_text("▼ down 1")
    _screenshot(host, "live-host-1280-07-top-five-moves.png")

    # The teacher ends the game after two questions: the podium on the projector, a place on each phone.
    host.get_by_role("button", name="End the game").click()
    expect(host.get_by_role("heading", name="Podium")).to_be_visible()
    podium = host.locator("[data-podium] > li")
    expect(podium).to_have_count(3)
    expect(podium.first).to_contain_text("Ada")
    expect(podium.first).to_contain_text("Place 1")
    expect(podium.nth(2)).to_contain_text("Place 2")
    expect(podium.nth(1)).to_contain_text("Ben")
    expect(podium.nth(2)).to_contain_text("Cy")
    _settled(host)
    _screenshot(host, "live-host-1280-08-podium.png")
    expect(ada.locator("[data-place]")).to_have_text("You came 1st of 3 with 2000 points.")
    expect(ben.locator("[data-place]")).to_have_text("You came 2nd of 3 with 1000 points.")
    expect(cy.locator("[data-place]")).to_have_text("You came 2nd of 3 with 1000 points.")  # a tie shares the place
    _screenshot(ada, "live-phone-390-06-place.png")
    assert ada.evaluate(SIDEWAYS) <= 0

    host.get_by_role("link", name="Open the game report").click()
    expect(host.get_by_role("heading", name="Report: Everything")).to_be_visible()
    expect(host.locator("table").first.locator("tbody tr")).to_have_count(3)
    host.context.close()


def test_the_host_removes_a_player_from_the_lobby_by_keyboard(browser, live_server, csrf, teacher, tiny_bank):  # noqa: F811
    game = live.create_game(teacher, tiny_bank["everything"], seconds=60)
    pin, game_id = game.pin, game.id
    db.session.remove()
    host = _open(browser, live_server, PHONE)
    phone = _open(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    sign_in(host, "tina")
    host.goto(f"/teach/live/{game_id}")
    _join(phone, pin, "Zed")
    remove = host.get_by_role("button", name="Remove Zed")
    expect(remove).to_be_visible()
    assert host.evaluate(SIDEWAYS) <= 0
    _screenshot(host, "live-host-390-01-lobby.png")
    host.once("dialog", lambda dialog: dialog.accept())
    remove.focus()
    host.keyboard.press("Enter")
    expect(host.get_by_role("heading", name="0 players")).to_be_visible()
    expect(host.get_by_role("heading", name="0 players")).to_be_focused()
    expect(phone.get_by_role("heading", name="You left the game")).to_be_visible()
    host.context.close()
    phone.context.close()


def test_the_ways_in_for_teachers_and_students(browser, live_server, csrf, classroom, tiny_bank):  # noqa: F811
    quiz, bank_id, classroom_id = tiny_bank["everything"], tiny_bank["everything"].bank_id, classroom.id
    member(classroom, "sam")
    db.session.remove()
    teacher = _open(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    sign_in(teacher, "tina")
    # From a bank's quizzes, and from the quizzes list: the set-up form with that quiz chosen.
    for path in (f"/teach/banks/{bank_id}/quizzes", "/quizzes"):
        teacher.goto(path)
        teacher.get_by_role("link", name=re.compile(rf"^Host live\W+“{quiz.title}” as a live game$")).click()
        expect(teacher).to_have_url(re.compile(rf"/teach/live/new\?quiz_id={quiz.id}$"))
        expect(teacher.get_by_label("Quiz")).to_have_value(str(quiz.id))
    # From a class's page: the class's games, and a new one set up for the class.
    teacher.goto(f"/teach/classes/{classroom_id}")
    teacher.get_by_role("link", name="Live games").click()
    expect(teacher.get_by_role("heading", name="Live games: Year 10 History")).to_be_visible()
    teacher.get_by_role("link", name="Host a live game").click()
    expect(teacher.get_by_label("Class")).to_have_value(str(classroom_id))
    teacher.context.close()

    student = _open(browser, live_server, PHONE, is_mobile=True, has_touch=True)
    sign_in(student, "sam")
    student.get_by_role("link", name="Play a live game").click()
    expect(student.get_by_role("heading", name="Join a live game")).to_be_visible()
    expect(student.get_by_label("Nickname")).to_have_value("Sam")  # a signed-in student plays as herself
    student.get_by_role("button", name="Menu").click()
    nav = student.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Play live")).to_have_attribute("aria-current", "page")
    assert student.evaluate(SIDEWAYS) <= 0
    student.context.close()


SCHEMES = {"1280": "light", "390": "light", "390-dark": "dark"}


@pytest.mark.parametrize("width", sorted(SCHEMES), ids=lambda width: f"{width}px")
def test_every_live_page_passes_axe(browser, live_server, csrf, teacher, tiny_bank, width):  # noqa: F811
    viewport = VIEWPORTS[width.removesuffix("-dark")]
    host = _open(browser, live_server, viewport, color_scheme=SCHEMES[width])
    phone = _open(browser, live_server, viewport, color_scheme=SCHEMES[width])
    expect.set_options(timeout=10_000)
    db.session.remove()
    hosting, playing = Audit(host, "live-host", width), Audit(phone, "live-player", width)

    sign_in(host, "tina")
    host.goto("/teach/")
    host.get_by_role("link", name="Live games").click()
    hosting("live games, none yet")
    host.get_by_role("link", name="Host a live game").click()
    hosting("host a live game")
    host.get_by_label("Seconds per question").fill("1")
    host.get_by_role("button", name="Open the lobby").click()
    expect(host.locator(".errors")).to_be_visible()
    hosting("host a live game, with errors")
    host.get_by_label("Seconds per question").fill("120")
    host.get_by_role("button", name="Open the lobby").click()
    expect(host.get_by_role("heading", name="0 players")).to_be_visible()
    hosting("host: lobby, empty")
    pin = re.sub(r"\D", "", host.locator("[data-pin]").inner_text())

    phone.goto(f"/play?pin={pin}")
    playing("join")
    phone.get_by_label("Nickname").fill("Ada")
    phone.get_by_label("Game PIN").fill("000000")
    phone.get_by_role("button", name="Join the game").click()
    expect(phone.locator(".errors")).to_be_visible()
    playing("join, with errors")
    _join(phone, pin, "Ada")
    playing("player: lobby")
    expect(host.get_by_role("heading", name="1 player")).to_be_visible()
    _settled(host)
    hosting("host: lobby, a player in")

    host.get_by_role("button", name="Start the game").click()
    expect(phone.get_by_role("heading", name="When did the harbour open?")).to_be_visible()
    hosting("host: question")
    playing("player: question")
    _pad(phone, "1910").click()
    expect(host.locator("[data-correct]")).to_have_text("1901")
    hosting("host: reveal")
    expect(phone.get_by_role("heading", name="Not this time")).to_be_visible()
    playing("player: result")
    host.get_by_role("button", name="Show the standings").click()
    expect(host.get_by_role("heading", name="Top five")).to_be_visible()
    hosting("host: top five")
    host.get_by_role("button", name="Next question").click()
    expect(phone.get_by_role("button", name="Send my choices")).to_be_visible()
    playing("player: question, several to pick")
    _pad(phone, "Timber").click()
    phone.get_by_role("button", name="Send my choices").click()
    expect(host.get_by_role("button", name="Show the standings")).to_be_visible()  # the only player: closed
    host.get_by_role("button", name="Show the standings").click()
    host.get_by_role("button", name="Next question").click()
    expect(phone.get_by_role("heading", name="The town council runs the harbour.")).to_be_visible()
    host.get_by_role("button", name="Close the question").click()
    expect(phone.get_by_role("heading", name="No answer")).to_be_visible()
    playing("player: no answer")
    host.get_by_role("button", name="Show the standings").click()
    host.get_by_role("button", name="Next question").click()
    expect(phone.get_by_label("Your answer")).to_be_focused()
    playing("player: question, typed")
    phone.get_by_label("Your answer").fill("the Town Council")
    phone.get_by_role("button", name="Send answer").click()
    expect(host.locator("[data-correct]")).to_contain_text("The town council")  # the only player: closed
    expect(phone.get_by_role("heading", name="Right!")).to_be_visible()
    host.get_by_role("button", name="Show the standings").click()
    host.get_by_role("button", name="Next question").click()
    expect(phone.get_by_role("button", name="Send my order")).to_be_visible()
    _pad(phone, "Grain").click()
    expect(phone.get_by_role("list", name="Your order")).to_contain_text("Grain")
    expect(phone.locator("[data-pad] .live-choice:enabled").first).to_be_focused()  # the next item left
    playing("player: question, ordering")
    phone.get_by_role("button", name="Start the order again").click()
    expect(phone.get_by_role("list", name="Your order").locator("li")).to_have_count(0)
    expect(_pad(phone, "Grain")).to_be_enabled()
    host.get_by_role("button", name="Close the question").click()
    host.get_by_role("button", name="Show the standings").click()
    host.get_by_role("button", name="Next question").click()
    expect(phone.get_by_label("Blank 1")).to_be_focused()  # a cloze: a field in place of each blank
    playing("player: question, blanks")
    phone.get_by_label("Blank 1").fill("1901")
    phone.get_by_label("Blank 2").fill("wood, mostly")
    phone.get_by_role("button", name="Send answer").click()
    expect(phone.get_by_role("heading", name="Not this time")).to_be_visible()  # "wood, mostly" is one blank's
    host.get_by_role("button", name="Show the standings").click()
    host.get_by_role("button", name="End the game").click()
    expect(host.get_by_role("heading", name="Podium")).to_be_visible()
    _settled(host)
    hosting("host: podium")
    expect(phone.locator("[data-place]")).to_have_text(re.compile(r"^You came 1st of 1"))
    playing("player: game over")

    host.get_by_role("link", name="Open the game report").click()
    hosting("game report")
    host.goto("/teach/live")
    hosting("live games")
    hosting.check(expected_pages=11)
    playing.check(expected_pages=11)
    host.context.close()
    phone.context.close()
