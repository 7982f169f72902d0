"""Live games over a socket: the players' pages (``views``), the socket's events (``events``) and the
bodies they send (``payloads``). The host's pages are the teacher blueprint's (``teacher/live.py``)."""

from flask import Flask

from quizapp.extensions import socketio
from quizapp.live import events  # noqa: F401  (registers the socket's handlers)
from quizapp.live.views import bp

__all__ = ["bp", "register"]


def register(app: Flask) -> None:
    """Bind the socket to the app: through Redis when REDIS_URL is set, so that every server process
    pushes what any of them does. Each event is handled on the thread that read it from its socket
    (``async_handlers=False``) rather than on a new thread per event: a phone sends one answer at a time,
    and with hundreds of sockets, starting a thread per answer made up most of its latency
    (bench/README.md, "Live games"). With LIVE_SOCKET=0 (the pages' process of `make serve`) there is no
    socket here at all: another process serves it."""
    if app.config["LIVE_SOCKET"]:
        socketio.init_app(app, message_queue=app.config["REDIS_URL"] or None,
                          channel=app.config["LIVE_REDIS_CHANNEL"],
                          max_http_buffer_size=app.config["LIVE_MAX_MESSAGE_BYTES"], async_handlers=False)
    app.register_blueprint(bp)
