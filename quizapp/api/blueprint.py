"""The API blueprint, which the route modules beside this one add to."""

from flask import Blueprint

from quizapp.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)
