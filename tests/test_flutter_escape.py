"""Escaping user text: Dart literals parse and mean the same text; YAML survives `: ` and `#`."""

import re

import tree_sitter_dart
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from tree_sitter import Language, Parser

from chalicelib.flutter.escape import dart_string, markdown_text, yaml_string

PARSER = Parser(Language(tree_sitter_dart.language()))
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f", "v": "\v"}


def decode_dart_literal(literal: str) -> str:
    """Decode a single-quoted, non-raw Dart string literal without interpolation."""
    assert literal[0] == literal[-1] == "'"
    body, out, i = literal[1:-1], [], 0
    while i < len(body):
        char = body[i]
        assert char != "$", "unescaped $ would interpolate"
        assert char not in "'\n\r", "unescaped quote or newline"
        if char != "\\":
            out.append(char)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u" and body[i + 2] == "{":
            end = body.index("}", i)
            out.append(chr(int(body[i + 3:end], 16)))
            i = end + 1
        elif nxt == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif nxt == "x":
            out.append(chr(int(body[i + 2:i + 4], 16)))
            i += 4
        else:
            out.append(_SIMPLE.get(nxt, nxt))
            i += 2
    return "".join(out)


def has_errors(node) -> bool:
    return node.type == "ERROR" or node.is_missing or any(has_errors(c) for c in node.children)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_dart_literal_parses_and_means_the_same_text(text):
    literal = dart_string(text)
    source = f"const value = {literal};\nvoid main() {{}}\n"
    tree = PARSER.parse(source.encode("utf-8", "surrogatepass"))
    assert not has_errors(tree.root_node)
    assert decode_dart_literal(literal) == text


def test_dart_literal_escapes_the_dangerous_characters():
    assert dart_string("Tom's ${x} $5 \\ \n") == "'Tom\\'s \\${x} \\$5 \\\\ \\n'"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_yaml_scalar_round_trips(text):
    document = yaml.safe_load(f"description: {yaml_string(text)}\nname: app\n")
    assert document["name"] == "app"
    assert document["description"] == text


def test_yaml_handles_colon_and_hash():
    assert yaml.safe_load(f"d: {yaml_string('a: b # c')}")["d"] == "a: b # c"


def test_markdown_text_escapes_markup():
    assert markdown_text("*bold* [link](x) # h") == r"\*bold\* \[link\](x) # h"
    assert markdown_text("# not a heading") == r"\# not a heading"
    assert markdown_text("> not a quote") == r"\> not a quote"
    assert markdown_text("<b>x</b> &amp; a&b") == r"\<b>x\</b> \&amp; a&b"
    assert not re.search(r"(?<!\\)[*_\[\]]", markdown_text("_a_ *b* [c]"))
