"""The web application: a JSON API (and, later, pages) over the same core as the command line.
Build it with `luoshi.web.app.create_app(settings)`; nothing happens at import time."""
