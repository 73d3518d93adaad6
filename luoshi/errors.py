"""Errors the core raises. The edges translate them: `exit_code` for the CLI, `http_status` for the web app.

Messages are in Chinese because the people who read them are the plan's users; the class names
and the `code` slug stay English for developers and logs.
"""


class LuoshiError(Exception):
    """Base of every error luoshi raises on purpose (bad input, not a bug)."""

    code = "error"
    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}({self.hint})"


class ReadError(LuoshiError):
    """The file could not be turned into text."""

    code = "unreadable"
    http_status = 422


class EmptyDocument(ReadError):
    code = "empty"


class UnsupportedFormat(ReadError):
    code = "unsupported_format"
    http_status = 415


class EncryptedDocument(ReadError):
    code = "encrypted"


class NeedsOCR(ReadError):
    """A PDF with no text layer: a scan. luoshi does not guess at images."""

    code = "needs_ocr"


class FileTooLarge(ReadError):
    code = "too_large"
    http_status = 413
