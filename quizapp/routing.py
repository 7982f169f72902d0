"""URL converters."""

from werkzeug.routing import IntegerConverter


class DatabaseIdConverter(IntegerConverter):
    """``<int:…>`` bounded to the database's integer range: a larger id is simply not found (404),
    rather than an error from the database."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)
