"""The API blueprint, which the route modules beside this one add to."""

from flask import Blueprint

from quizapp.errors import domain_error_json, handle_domain_errors
from quizapp.extensions import csrf

bp = Blueprint("api", __name__)
csrf.exempt(bp)
# The services' refusals (``quizapp.domain.errors``) as the API's JSON error, with their status and code.
handle_domain_errors(bp, domain_error_json)
