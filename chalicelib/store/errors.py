"""Storage outcomes the API turns into status codes."""


class StoreError(Exception):
    """Base of the storage layer's own errors."""


class NotFound(StoreError):
    """The item does not exist (or belongs to another team)."""


class Conflict(StoreError):
    """A conditional write lost: the item exists already or is in the wrong state."""
