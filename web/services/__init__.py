"""Business logic: keyword-only functions over a database session. Views call these."""


class ServiceError(Exception):
    """A request the services refuse, with a message fit for the user."""

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status


class NotFound(ServiceError):
    def __init__(self, what: str):
        super().__init__(f"{what} not found", status=404)
