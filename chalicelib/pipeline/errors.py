"""Errors raised by run_phase. The class name is the Step Functions error name (Retry/Catch match it)."""


class JobCancelled(Exception):
    """The job was cancelled or deleted: stop before doing any more work."""


class TransientError(Exception):
    """A passing fault (throttling, a dropped connection): the state machine retries the task."""


class PhaseFailed(Exception):
    """A phase reported failure (its findings or reason are in the message)."""
