"""Errors a phase raises on purpose. The class name becomes the Step Functions error name."""


class PhaseError(Exception):
    """A phase could not do its work; the message is shown to the user as the job's error."""


class QualityGateFailed(PhaseError):
    """QA findings remain after the repair budget (`max_repair_attempts`) is spent."""


class ModelAnswerInvalid(PhaseError):
    """The model's answer could not be parsed into what the phase needs, even after a retry."""


class CostLimitExceeded(PhaseError):
    """The team's `daily_cost_limit` would be exceeded by the next LLM call; the call was not made."""
