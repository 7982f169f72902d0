"""Pure domain logic: bank format, question types and their graders, quiz drawing.

Nothing here knows about requests, sessions or the database.
"""
