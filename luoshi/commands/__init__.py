"""Command modules of the `luoshi` CLI. Each has `register(app)`; heavy imports (SQLAlchemy,
openpyxl…) stay inside the command functions so `luoshi extract` starts fast."""


def registry():
    """The `register(app, edge)` functions of the command modules, in the order of `luoshi --help`.
    `edge` wraps a command so core errors become a message and an exit code."""
    import importlib

    names = ("ingest", "query", "check", "dispatch", "report", "progress", "milestone", "project", "bulletin", "office",
             "web", "audit")
    return [importlib.import_module(f"luoshi.commands.{name}").register for name in names]
