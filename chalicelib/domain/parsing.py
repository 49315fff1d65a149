"""Turning JSON documents (request bodies, request files) into models, with errors that name the problem."""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)


class InvalidDocument(ValueError):
    """The document is not valid JSON, not an object, or not a valid instance; the message says which."""


def validation_detail(error: ValidationError) -> str:
    """One readable sentence naming each offending field."""
    parts = []
    for problem in error.errors():
        location = ".".join(str(part) for part in problem.get("loc", ())) or "body"
        message = problem.get("msg", "is invalid")
        if problem.get("type") == "extra_forbidden":
            message = "is not a known field"
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        parts.append(f"{location}: {message}")
    return "; ".join(parts)


def _refuse_constant(name: str) -> None:
    """`NaN` and `Infinity` are Python's extensions, not JSON."""
    raise ValueError(f"{name} is not a JSON value")


def parse_json_object(raw: bytes, model: type[ModelT], what: str = "request body") -> ModelT:
    """`raw` as an instance of `model`; InvalidDocument naming what is wrong otherwise."""
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise InvalidDocument(f"{what} is not valid JSON: nested too deeply") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidDocument(f"{what} is not valid JSON: {error}") from error
    if not isinstance(data, dict):
        raise InvalidDocument(f"{what} must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidDocument(validation_detail(error)) from error
    except RecursionError as error:
        raise InvalidDocument(f"{what} is nested too deeply") from error
