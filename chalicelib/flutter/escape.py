"""Escaping user text for every place it lands: Dart literals, YAML, Markdown, JSON."""

from __future__ import annotations

import json
import re

_DART_SIMPLE = {"\\": "\\\\", "'": "\\'", "$": "\\$", "\n": "\\n", "\r": "\\r", "\t": "\\t",
                "\b": "\\b", "\f": "\\f", "\v": "\\v"}


def _dart_char(char: str) -> str:
    """One character as it must appear inside a single-quoted Dart string."""
    if char in _DART_SIMPLE:
        return _DART_SIMPLE[char]
    code = ord(char)
    if code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF or code in (0x2028, 0x2029):
        return f"\\u{{{code:x}}}"
    return char


def dart_string(text: str) -> str:
    """A single-quoted Dart literal whose value is exactly `text`."""
    return "'" + "".join(_dart_char(c) for c in text) + "'"


_YAML_NON_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029]")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar for `text` (`: `, `#`, quotes, newlines, control chars are safe)."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


# Markup wherever it appears: emphasis, code, links and images, HTML and autolinks, GFM tables and
# strikethrough. Parentheses, `#`, `>` and `!` only mean something after `]` or at a line start.
_MARKDOWN_SPECIAL = set("\\`*_[]<|~")
_MARKDOWN_LINE_START = re.compile(r"^([-+=#>]|\d+(?=[.)]))")
_MARKDOWN_ENTITY = re.compile(r"&(?=#?\w+;)")


def markdown_text(text: str) -> str:
    """Inline Markdown that renders as the literal `text` on one line.

    Only what would really become markup is escaped: characters that are markup anywhere,
    `&` where it would start an entity, and block markers (`-`, `+`, `#`, `>`, `1.`) where they
    would start a block; parentheses and other punctuation stay readable in the source.
    """
    flat = " ".join(text.split())
    escaped = "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in flat)
    escaped = _MARKDOWN_ENTITY.sub(r"\\&", escaped)
    match = _MARKDOWN_LINE_START.match(escaped)
    if match and match.group(1)[0].isdigit():
        end = match.end()
        return escaped[:end] + "\\" + escaped[end:]
    return "\\" + escaped if match else escaped


def json_text(value: object) -> str:
    """Pretty, stable JSON for documents written to docs/."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def dart_comment(text: str) -> str:
    """Text safe inside a `///` doc comment: one line, no comment terminators."""
    return " ".join(text.split()).replace("*/", "* /")
