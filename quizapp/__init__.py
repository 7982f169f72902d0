"""quizapp: a self-hostable quiz and learning app for classrooms."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from quizapp import api, auth, cli, config, database, errors, formatting, live, security, student, teacher
from quizapp.extensions import csrf, db, limiter, login_manager, migrate
from quizapp.routing import DatabaseIdConverter


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config.Config)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = config.database_url(app.instance_path)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.secret_key(app.instance_path)

    db.init_app(app)
    database.register(app)
    migrate.init_app(app, db, directory=app.config["MIGRATIONS_DIR"])
    login_manager.init_app(app)
    # Before CSRF and the rate limiter read a request: its size and text are checked first.
    security.register(app)
    csrf.init_app(app)
    limiter.init_app(app)

    app.url_map.converters["int"] = DatabaseIdConverter
    app.register_blueprint(auth.bp)
    app.register_blueprint(student.bp)
    app.register_blueprint(api.bp, url_prefix="/api/v1")
    app.register_blueprint(teacher.bp)
    live.register(app)
    errors.register(app)
    formatting.register(app)
    cli.register(app)
    # Last, so that it wraps the live games' socket too (live.register wraps the app in Socket.IO's own
    # middleware): the socket then sees the client's address and scheme, as the pages do.
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    return app
