"""Flask extensions, created once and bound to the app in ``create_app``."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from quizapp import rate_limit_storage  # noqa: F401  (registers swept-memory://, the default store)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base whose constraints have predictable names, so migrations can alter them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


# A request commits, then renders what it just wrote: no need to reload it all from the database.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to continue."
login_manager.login_message_category = "info"
csrf = CSRFProtect()
# No limit on every route: the few that need one say so (quizapp/security.py).
limiter = Limiter(key_func=get_remote_address, headers_enabled=True)
# Live games' push (quizapp/live). Threads, not eventlet or gevent: the rest of the app stays plain WSGI
# and its tests as they are; with REDIS_URL set, events fan out through Redis to every process.
socketio = SocketIO(async_mode="threading")
