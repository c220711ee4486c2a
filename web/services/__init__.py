"""Business logic: keyword-only functions over a database session. Views call these."""


class ServiceError(Exception):
    """A request the services refuse, with a message fit for the user: `message` in English,
    `zh` in Chinese (the English when not given)."""

    def __init__(self, message: str, field: str | None = None, status: int = 400, zh: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        self.zh = zh or message

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.message


class NotFound(ServiceError):
    def __init__(self, what: str, zh: str = ""):
        super().__init__(f"{what} not found", status=404, zh=zh or f"未找到{what}")
