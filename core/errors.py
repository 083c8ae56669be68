"""The one error type services raise for a refused action; pages and the API show its message."""


class DomainError(Exception):
    """An action the rules refuse. `message` is user-facing (already translated)."""

    def __init__(self, message, *, code: str = "refused"):
        super().__init__(str(message))
        self.message = str(message)
        self.code = code


class PermissionDenied(DomainError):
    def __init__(self, message, *, code: str = "forbidden"):
        super().__init__(message, code=code)
