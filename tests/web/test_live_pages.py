"""The live games' pages through Flask's test client: joining with a PIN and a nickname (the form's
messages, the rate limit on wrong PINs, a signed-in student playing as herself), the phone's game page,
and the host's pages: setting a game up, the screen for the projector, its QR code, the list of games
and the report with its CSV. Who may open which is the authorization matrix's; the socket is
``test_live_socket.py``'s."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from quizapp.domain.live_game import Move
from quizapp.extensions import db
from quizapp.live.events import PLAYER_COOKIE
from quizapp.models import LiveGame, LivePlayer, Quiz, Role, utcnow
from quizapp.services import classrooms
from quizapp.services import live_games as live
from quizapp.services.banks import sharing
from tests.support.pages import csrf_token, page, signed_in

WRONG_PIN = "No game has that PIN. Check the number on the screen."


@pytest.fixture
def game(teacher, tiny_bank):
    return live.create_game(teacher, tiny_bank["everything"], seconds=30, blocked_words=["wombat"])


def beside(response, field: str) -> list[str]:
    """The messages the page shows under ``field`` (the form macro's list, tied to the field by its id)."""
    found = re.search(rf'<ul class="errors" id="{field}-error">(.*?)</ul>', response.get_data(as_text=True), re.S)
    return [html.unescape(m) for m in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)] if found else []


def players() -> int:
    return db.session.scalar(select(func.count()).select_from(LivePlayer))


def games() -> list[LiveGame]:
    db.session.expire_all()
    return list(db.session.scalars(select(LiveGame).order_by(LiveGame.id)))


def join(client, pin: str, nickname: str, **kwargs):
    return client.post("/play", data={"pin": pin, "nickname": nickname}, **kwargs)


# --------------------------------------------------------------------------- joining


def test_joining_sets_the_player_cookie_and_opens_the_game_page(app, client, game):
    response = join(client, game.pin[:3] + " " + game.pin[3:], "  Ada   Lovelace ")
    assert response.status_code == 302 and response.headers["Location"] == f"/play/{game.id}"
    cookie = client.get_cookie(PLAYER_COOKIE)
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"
    player = db.session.scalars(select(LivePlayer)).one()
    assert (player.game_id, player.nickname, player.user_id) == (game.id, "Ada Lovelace", None)
    text = page(client.get(f"/play/{game.id}"))
    assert "Ada Lovelace" in text


@pytest.mark.parametrize(("pin", "nickname", "field", "message"), [
    ("000000", "Ada", "pin", WRONG_PIN),
    ("", "Ada", "pin", "Type the game PIN from the screen."),
    (None, "", "nickname", "Choose a nickname."),
    (None, "   ", "nickname", "Choose a nickname with at least one letter or digit."),
    (None, "Wombat King", "nickname", "That nickname is not allowed here. Choose another."),  # the host's list
    (None, "x" * 21, "nickname", "Keep your nickname to 20 characters."),
    (None, "ada", "nickname", "Someone in this game has that nickname already. Choose another."),
])
def test_a_refused_join_shows_the_form_again_with_why_beside_the_field(app, client, game, pin, nickname, field,
                                                                        message):
    live.join(game.pin, "Ada")
    sent = game.pin if pin is None else pin
    response = join(client, sent, nickname)
    assert response.status_code == 400
    assert beside(response, field) == [message]
    assert beside(response, "pin" if field == "nickname" else "nickname") == []
    # What was typed is kept, nothing is written and no cookie is given.
    assert f'value="{html.escape(sent)}"' in response.get_data(as_text=True)
    assert players() == 1 and client.get_cookie(PLAYER_COOKIE) is None


def test_a_locked_lobby_says_so_beside_the_pin_and_takes_nobody(client, game):
    live.set_locked(game, True)
    response = join(client, game.pin, "Ada")
    assert response.status_code == 400
    assert beside(response, "pin") == ["The host has locked this game: nobody else can join."]
    assert players() == 0


def test_a_finished_game_cannot_be_joined_with_its_old_pin(client, game):
    live.join(game.pin, "Ada")
    live.make_move(game, Move.START)
    live.make_move(game, Move.FINISH)
    response = join(client, game.pin, "Ben")
    assert response.status_code == 400 and beside(response, "pin") == [WRONG_PIN]
    assert players() == 1


def test_the_qr_codes_pin_fills_the_form_in(client, game):
    assert pin_value(client.get(f"/play?pin={game.pin}")) == game.pin
    # Whatever comes in the address is cut to the field's length, and escaped.
    sent = '"><script>x</script>' + "9" * 20
    response = client.get("/play", query_string={"pin": sent})
    assert pin_value(response) == sent[:12] and "<script>x" not in response.get_data(as_text=True)


def pin_value(response) -> str:
    tag = re.search(r'<input[^>]*name="pin"[^>]*>', response.get_data(as_text=True)).group(0)
    return html.unescape(re.search(r'value="([^"]*)"', tag).group(1))


def test_wrong_pins_are_limited_per_address_with_a_429_page(app, client, game, rate_limits, monkeypatch):
    monkeypatch.setitem(app.config, "PIN_RATE_LIMIT", "3 per minute")
    for _ in range(3):
        assert join(client, "000000", "Ada").status_code == 400
    refused = join(client, "000000", "Ada")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Too many tries in a short time. Wait a minute, then try again." in page(refused, 429)
    # Past the limit, this address waits even with the right PIN; another address joins as usual.
    assert join(client, game.pin, "Ada").status_code == 429
    other = app.test_client()
    assert join(other, game.pin, "Ada", environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code == 302
    assert players() == 1
    # Showing the form is never limited.
    assert client.get("/play").status_code == 200


def test_right_pins_are_never_counted(app, client, game, rate_limits, monkeypatch):
    monkeypatch.setitem(app.config, "PIN_RATE_LIMIT", "2 per minute")
    for name in ("Ada", "Ben", "Cleo", "Dan"):
        assert join(app.test_client(), game.pin, name).status_code == 302
    # Refused for its nickname, not its PIN: not counted either.
    for _ in range(3):
        assert join(client, game.pin, "ada").status_code == 400
    assert join(client, "000000", "Eve").status_code == 400
    assert join(client, "000000", "Eve").status_code == 400
    assert join(client, "000000", "Eve").status_code == 429


def test_the_game_page_needs_this_games_player_cookie(app, client, game, teacher, tiny_bank):
    assert client.get(f"/play/{game.id}").headers["Location"] == "/play"
    other = live.create_game(teacher, tiny_bank["two-grain"])
    assert join(client, other.pin, "Ada").status_code == 302
    assert client.get(f"/play/{other.id}").status_code == 200
    # The cookie of another game, or a made-up one, sends back to joining.
    response = client.get(f"/play/{game.id}")
    assert response.status_code == 302 and response.headers["Location"] == "/play"
    forged = app.test_client()
    forged.set_cookie(PLAYER_COOKIE, "forged")
    assert forged.get(f"/play/{game.id}").headers["Location"] == "/play"


def test_a_removed_player_is_sent_back_to_joining(client, game):
    join(client, game.pin, "Ada")
    player = db.session.scalars(select(LivePlayer)).one()
    live.remove_player(game, player.id)
    assert client.get(f"/play/{game.id}").headers["Location"] == "/play"


def test_a_signed_in_student_plays_as_herself_with_her_name_filled_in(app, game, make_user):
    ana = make_user("ana")
    client = signed_in(app, "ana")
    text = page(client.get(f"/play?pin={game.pin}"))
    assert re.search(r'<input[^>]*name="nickname"[^>]*value="Ana"', text)
    assert join(client, game.pin, "Ana").status_code == 302
    player = db.session.scalars(select(LivePlayer)).one()
    assert player.user_id == ana.id
    # Joining again comes back as the same player, whatever nickname is typed.
    assert join(client, game.pin, "Someone else").status_code == 302
    assert players() == 1


def test_a_signed_in_teacher_plays_under_a_nickname_only(app, game, make_user):
    make_user("olga", role=Role.TEACHER)
    assert join(signed_in(app, "olga"), game.pin, "Olga").status_code == 302
    assert db.session.scalars(select(LivePlayer)).one().user_id is None


def test_the_join_form_refuses_a_post_without_its_csrf_token(app, client, game, csrf):
    response = join(client, game.pin, "Ada")
    assert response.status_code == 400 and "Form expired" in page(response, 400)
    assert players() == 0
    token = csrf_token(client.get("/play").get_data(as_text=True))
    assert client.post("/play", data={"pin": game.pin, "nickname": "Ada", "csrf_token": token}).status_code == 302
    assert players() == 1


# --------------------------------------------------------------------------- setting a game up


def host_form(quiz_id, **fields) -> dict:
    return {"quiz_id": str(quiz_id), "classroom_id": "0", "profile": "speed", "seconds": "20", "double": "",
            "blocked": "", **fields}


def test_the_host_sets_a_game_up_and_lands_on_its_screen(tina, classroom, tiny_bank):
    assert page(tina.get(f"/teach/live/new?quiz_id={tiny_bank['everything'].id}&classroom_id={classroom.id}"))
    response = tina.post("/teach/live/new", data=host_form(
        tiny_bank["everything"].id, classroom_id=str(classroom.id), profile="accuracy", seconds="45",
        double="2; 4, 99", blocked="wombat\n\n  koala "))
    [made] = games()
    assert response.status_code == 302 and response.headers["Location"] == f"/teach/live/{made.id}"
    assert (made.classroom_id, made.profile.value, made.seconds_per_question) == (classroom.id, "accuracy", 45)
    assert made.double_positions == [2, 4] and made.blocked_words == ["wombat", "koala"]  # 99: no such question


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"seconds": "4"}, "seconds", "Give between 5 and 240 seconds."),
    ({"seconds": "241"}, "seconds", "Give between 5 and 240 seconds."),
    ({"seconds": ""}, "seconds", "Give the seconds per question."),
    ({"double": "3, seven"}, "double", "Give question numbers separated by commas, such as 3, 7."),
    ({"double": "-1"}, "double", "Give question numbers separated by commas, such as 3, 7."),
])
def test_the_set_up_form_says_what_is_wrong_beside_the_field(tina, tiny_bank, fields, field, message):
    response = tina.post("/teach/live/new", data=host_form(tiny_bank["everything"].id, **fields))
    assert response.status_code == 400 and beside(response, field) == [message]
    assert games() == []


def quiz_options(response) -> str:
    return re.search(r'<select[^>]*name="quiz_id".*?</select>', response.get_data(as_text=True), re.S).group(0)


def test_a_quiz_the_teacher_cannot_see_is_no_choice(tina, make_user, tiny_bank):
    otto = make_user("otto", role=Role.TEACHER)
    hidden = sharing.copy_bank(tiny_bank["everything"].bank, otto)
    hidden_quiz = db.session.scalars(select(Quiz).where(Quiz.bank_id == hidden.id)).first()
    shown = tina.get(f"/teach/live/new?quiz_id={hidden_quiz.id}")
    assert f'value="{hidden_quiz.id}"' not in quiz_options(shown)
    assert f'value="{tiny_bank["everything"].id}"' in quiz_options(shown)
    response = tina.post("/teach/live/new", data=host_form(hidden_quiz.id))
    assert response.status_code == 400 and beside(response, "quiz_id") == ["Choose one of the quizzes in the list."]
    assert games() == []


def test_a_class_of_another_teacher_cannot_be_chosen(tina, make_user, tiny_bank, classroom):
    otto = make_user("otto", role=Role.TEACHER)
    his = classrooms.create_classroom(otto, "Otto's class")
    text = page(tina.get(f"/teach/live/new?classroom_id={his.id}"))
    assert "Otto's class" not in text and classroom.name in text
    response = tina.post("/teach/live/new", data=host_form(tiny_bank["everything"].id, classroom_id=str(his.id)))
    assert response.status_code == 400
    assert beside(response, "classroom_id") == ["Choose one of your classes, or no class."]
    assert games() == []


# --------------------------------------------------------------------------- the host's screen


def test_the_host_screen_shows_the_pin_and_the_join_address_and_no_key(tina, game):
    live.join(game.pin, "Ada")
    live.make_move(game, Move.START)  # the first question open: the moment a key would matter
    text = page(tina.get(f"/teach/live/{game.id}"))
    assert f"{game.pin[:3]} {game.pin[3:]}" in text
    assert "go to <strong>http://localhost/play</strong> and type the PIN" in text  # the QR code: next test
    assert f'src="/teach/live/{game.id}/qr.svg"' in text
    for item in game.questions:
        assert item.question.explanation not in text
        assert item.question.prompt not in text  # the socket sends the question, the page holds none
    assert not re.search(r"\b1901\b", text) and "town council" not in text.lower() and "wood" not in text


def test_the_qr_code_is_an_svg_of_this_games_join_address(tina, game, teacher, tiny_bank):
    response = tina.get(f"/teach/live/{game.id}/qr.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert re.match(r"(<\?xml[^>]*>\s*)?<svg\b", svg) and svg.rstrip().endswith("</svg>")
    assert "QR code to join the game" in svg
    other = live.create_game(teacher, tiny_bank["everything"])
    assert tina.get(f"/teach/live/{other.id}/qr.svg").get_data(as_text=True) != svg  # another PIN, another code


def test_the_list_of_games_narrows_to_a_class(tina, teacher, classroom, tiny_bank, make_user):
    second = classrooms.create_classroom(teacher, "Year 11 History")
    with_first = live.create_game(teacher, tiny_bank["everything"], classroom=classroom)
    with_second = live.create_game(teacher, tiny_bank["two-grain"], classroom=second)
    with_none = live.create_game(teacher, tiny_bank["two-grain"])
    everything = page(tina.get("/teach/live"))
    assert all(f"/teach/live/{g.id}/report" in everything for g in (with_first, with_second, with_none))
    narrowed = page(tina.get(f"/teach/live?classroom_id={classroom.id}"))
    assert f"/teach/live/{with_first.id}/report" in narrowed
    assert f"/teach/live/{with_second.id}/report" not in narrowed and f"/teach/live/{with_none.id}/" not in narrowed
    otto = make_user("otto", role=Role.TEACHER)
    his = classrooms.create_classroom(otto, "Otto's class")
    assert tina.get(f"/teach/live?classroom_id={his.id}").status_code == 404


# --------------------------------------------------------------------------- the report


def played(game, make_user):
    """Ada right, ana (signed in as herself) wrong, Cleo silent, on the first question; then the end."""
    ana = make_user("ana")
    ada, ana_player, _cleo = live.join(game.pin, "Ada"), live.join(game.pin, "Ana", user=ana), live.join(game.pin,
                                                                                                          "Cleo")
    live.make_move(game, Move.START)
    choices = {c["text"]: c["id"] for c in live.public_question(game, 1)["choices"]}
    live.answer(ada, 1, [choices["1901"]])
    live.answer(ana_player, 1, [choices["1910"]])
    live.make_move(game, Move.CLOSE)
    live.make_move(game, Move.FINISH)
    db.session.expire_all()
    return db.session.get(LivePlayer, ada.id).score


def test_the_report_ranks_the_players_and_counts_the_answers(tina, game, make_user):
    score = played(game, make_user)
    text = page(tina.get(f"/teach/live/{game.id}/report"))
    assert "3 players" in text and f"/teach/live/{game.id}/report.csv" in text
    players = BeautifulSoup(text, "html.parser").find("table")
    rows = [tuple(cell.get_text(strip=True) for cell in row.find_all(["td", "th"])[:4])
            for row in players.find("tbody").find_all("tr")]
    assert rows == [("1", "Ada", "—", str(score)), ("2", "Ana", "ana", "0"), ("2", "Cleo", "—", "0")]
    assert "1901: 1; 1910: 1; 1899: 0" in text


def test_the_report_exports_as_csv_one_row_per_player(tina, game, make_user):
    score = played(game, make_user)
    response = tina.get(f"/teach/live/{game.id}/report.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == f'attachment; filename="live-game-{game.id}.csv"'
    header, *rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert header == ["Rank", "Nickname", "Username", "Score", "Answered", "Right", "Seconds"]
    assert [row[:6] for row in rows] == [["1", "Ada", "", str(score), "1", "1"], ["2", "Ana", "ana", "0", "1", "0"],
                                          ["2", "Cleo", "", "0", "0", "0"]]
    assert score > 0


def test_the_host_screen_is_headed_apart_from_the_same_quizs_assignment(tina, teacher, classroom, tiny_bank):
    now = utcnow()
    assignment = classrooms.create_assignment(classroom, tiny_bank["everything"], now - timedelta(days=1),
                                              now + timedelta(days=1))
    hosted = live.create_game(teacher, tiny_bank["everything"], classroom=classroom)
    h1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
    screen = h1.search(page(tina.get(f"/teach/live/{hosted.id}"))).group(1)
    assigned = h1.search(page(tina.get(f"/teach/assignments/{assignment.id}"))).group(1)
    assert screen.strip() != assigned.strip()
