"""Dart source parsed with the tree-sitter Dart grammar: syntax errors, directives, declarations, calls."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from tree_sitter import Language, Node, Parser, Tree

_DIRECTIVE_TYPES = {"import_or_export", "part_directive", "part_of_directive", "library_name"}
_TYPE_DECLARATIONS = {
    "class_definition",
    "enum_declaration",
    "mixin_declaration",
    "extension_declaration",
    "extension_type_declaration",
    "type_alias",
}
_CONSTRUCTOR_SIGNATURES = {
    "constructor_signature",
    "constant_constructor_signature",
    "factory_constructor_signature",
    "redirecting_factory_constructor_signature",
}


@lru_cache(maxsize=1)
def _parser() -> Parser:
    """The Dart parser, built once per process on first use (grammar loading is the slow part)."""
    import tree_sitter_dart

    return Parser(Language(tree_sitter_dart.language()))


@lru_cache(maxsize=512)
def parse(source: str) -> Tree:
    """The syntax tree of a Dart source text; memoised because every rule re-reads the same files."""
    return _parser().parse(source.encode("utf-8"))


def text(node: Node) -> str:
    """The source text a node covers."""
    return node.text.decode("utf-8") if node.text is not None else ""


def line_of(node: Node) -> int:
    """The 1-based line a node starts on."""
    return node.start_point.row + 1


def walk(node: Node) -> Iterator[Node]:
    """Every node under `node` (itself included), depth first, in source order."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def parse_errors(source: str) -> list[tuple[int, str]]:
    """Syntax errors as (line, message): one per ERROR node and per token the parser had to invent."""
    errors: list[tuple[int, str]] = []
    root = parse(source).root_node
    if not root.has_error:
        return errors
    for node in walk(root):
        if node.is_missing:
            errors.append((line_of(node), f"missing '{node.type}'"))
        elif node.type == "ERROR":
            snippet = " ".join(text(node).split())[:60]
            errors.append((line_of(node), f"unexpected syntax near '{snippet}'"))
    return errors


@dataclass(frozen=True)
class DartDirective:
    """An import, export or part directive: its kind, URI, line, `as` prefix and `show` names."""

    kind: str
    uri: str
    line: int
    end_line: int
    prefix: str | None = None
    show: tuple[str, ...] = ()


def string_value(node: Node) -> str:
    """The value of a string literal node without its quotes (interpolations kept verbatim)."""
    raw = text(node)
    for quote in ('"""', "'''", '"', "'"):
        if raw.startswith("r" + quote):
            raw = raw[1:]
        if raw.startswith(quote) and raw.endswith(quote) and len(raw) >= 2 * len(quote):
            return raw[len(quote) : -len(quote)]
    return raw


def directives(source: str) -> list[DartDirective]:
    """The file's import, export and part directives in source order."""
    found: list[DartDirective] = []
    for node in parse(source).root_node.children:
        if node.type == "import_or_export":
            found.extend(_import_or_export(node))
        elif node.type == "part_directive":
            uri = next((n for n in walk(node) if n.type == "string_literal"), None)
            if uri is not None:
                found.append(DartDirective("part", string_value(uri), line_of(node), node.end_point.row + 1))
    return found


def _import_or_export(node: Node) -> Iterator[DartDirective]:
    """The directive inside one `import_or_export` node."""
    for child in node.children:
        kind = {"library_import": "import", "library_export": "export"}.get(child.type)
        if kind is None:
            continue
        uri_node = next((n for n in walk(child) if n.type == "string_literal"), None)
        if uri_node is None:
            continue
        spec = next((n for n in child.children if n.type == "import_specification"), child)
        prefix = None
        show: list[str] = []
        children = spec.children
        for index, part in enumerate(children):
            if part.type == "as" and index + 1 < len(children):
                prefix = text(children[index + 1])
            elif part.type == "combinator" and part.children and part.children[0].type == "show":
                show.extend(text(n) for n in part.children if n.type == "identifier")
        yield DartDirective(
            kind, string_value(uri_node), line_of(node), node.end_point.row + 1, prefix, tuple(show)
        )


def imports(source: str) -> list[DartDirective]:
    """The file's import directives (uri + line) in source order."""
    return [d for d in directives(source) if d.kind == "import"]


def identifiers_used(source: str) -> set[str]:
    """Every identifier and type name the file mentions outside its directives."""
    used: set[str] = set()
    for top in parse(source).root_node.children:
        if top.type in _DIRECTIVE_TYPES:
            continue
        for node in walk(top):
            if node.type in ("identifier", "type_identifier", "identifier_dollar_escaped"):
                used.add(text(node))
    return used


@dataclass(frozen=True)
class Parameter:
    """One constructor parameter: its name, whether it is named, and whether a caller must pass it."""

    name: str
    named: bool
    required: bool


@dataclass(frozen=True)
class Constructor:
    """One constructor of a class: its name (`''` for the unnamed one) and its parameters."""

    name: str
    parameters: tuple[Parameter, ...]


@dataclass(frozen=True)
class DartClass:
    """A type declaration: its kind, name, line, superclass name and constructors."""

    kind: str
    name: str
    line: int
    superclass: str | None = None
    constructors: tuple[Constructor, ...] = ()


def _declared_name(node: Node) -> str | None:
    """The name a type declaration introduces (None for an unnamed extension)."""
    name_types = ("type_identifier",) if node.type == "type_alias" else ("identifier",)
    for child in node.children:
        if child.type in name_types:
            return text(child)
        if child.type in ("class_body", "extension_body", "enum_body", "on"):
            return None
    return None


def _superclass(node: Node) -> str | None:
    """The name of the class a class definition extends."""
    superclass = next((c for c in node.children if c.type == "superclass"), None)
    if superclass is None:
        return None
    name = next((c for c in superclass.children if c.type == "type_identifier"), None)
    return text(name) if name is not None else None


def _parameters(parameter_list: Node) -> tuple[Parameter, ...]:
    """The parameters of a `formal_parameter_list`, with their named/required flags."""
    found: list[Parameter] = []
    for child in parameter_list.children:
        if child.type == "formal_parameter":
            found.append(Parameter(_parameter_name(child), named=False, required=True))
        elif child.type == "optional_formal_parameters":
            named = any(c.type == "{" for c in child.children)
            required_next = False
            for part in child.children:
                if part.type == "required":
                    required_next = True
                elif part.type == "formal_parameter":
                    found.append(Parameter(_parameter_name(part), named=named, required=required_next))
                    required_next = False
    return tuple(found)


def _parameter_name(parameter: Node) -> str:
    """The name a formal parameter binds (`this.x`, `super.key` and typed forms alike)."""
    names = [c for c in walk(parameter) if c.type == "identifier"]
    if parameter.children and parameter.children[0].type in ("constructor_param", "super_formal_parameter"):
        return text(names[-1]) if names else ""
    direct = [c for c in parameter.children if c.type == "identifier"]
    if direct:
        return text(direct[-1])
    return text(names[-1]) if names else ""


def _constructors(class_name: str, body: Node) -> tuple[Constructor, ...]:
    """The constructors declared in a class body."""
    found: list[Constructor] = []
    for node in walk(body):
        if node.type not in _CONSTRUCTOR_SIGNATURES:
            continue
        names = [text(c) for c in node.children if c.type == "identifier"]
        if not names or names[0] != class_name:
            continue
        parameter_list = next((c for c in node.children if c.type == "formal_parameter_list"), None)
        parameters = _parameters(parameter_list) if parameter_list is not None else ()
        found.append(Constructor(names[1] if len(names) > 1 else "", parameters))
    return tuple(found)


def class_declarations(source: str) -> list[DartClass]:
    """The top-level type declarations (classes, enums, mixins, extensions, typedefs) of a file."""
    found: list[DartClass] = []
    for node in parse(source).root_node.children:
        if node.type not in _TYPE_DECLARATIONS:
            continue
        name = _declared_name(node)
        if name is None:
            continue
        kind = node.type.removesuffix("_definition").removesuffix("_declaration")
        constructors: tuple[Constructor, ...] = ()
        if node.type == "class_definition":
            body = next((c for c in node.children if c.type == "class_body"), None)
            constructors = _constructors(name, body) if body is not None else ()
        found.append(DartClass(kind, name, line_of(node), _superclass(node), constructors))
    return found


def top_level_names(source: str) -> set[str]:
    """Every name a file declares at top level: what an importer of the file can use."""
    names = {c.name for c in class_declarations(source)}
    for node in parse(source).root_node.children:
        if node.type in ("function_signature", "getter_signature", "setter_signature"):
            identifier = next((c for c in node.children if c.type == "identifier"), None)
            if identifier is not None:
                names.add(text(identifier))
        elif node.type in ("static_final_declaration_list", "initialized_identifier_list"):
            for declaration in node.children:
                identifier = next((c for c in declaration.children if c.type == "identifier"), None)
                if identifier is not None:
                    names.add(text(identifier))
    return names


def declares_extension(source: str) -> bool:
    """Whether the file declares an extension (whose use an identifier scan cannot see)."""
    return any(n.type == "extension_declaration" for n in parse(source).root_node.children)


@dataclass
class Invocation:
    """A call or instance creation: the dotted name chain before it, its line and its arguments.

    `positional` holds `argument` nodes and `named` holds `named_argument` nodes by label; read their
    values with `argument_text` and `argument_string`.
    """

    chain: list[str]
    line: int
    arguments: Node
    positional: list[Node] = field(default_factory=list)
    named: dict[str, Node] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The called name: the last link of the chain (`go` in `context.go(...)`)."""
        return self.chain[-1] if self.chain else ""


def _value_nodes(argument: Node) -> list[Node]:
    """The expression nodes of an `argument` or `named_argument` (the label left out)."""
    return [c for c in argument.children if c.type != "label"]


def argument_text(argument: Node) -> str:
    """The source text of an argument's value expression."""
    values = _value_nodes(argument)
    if not values:
        return ""
    source = argument.text or b""
    start = values[0].start_byte - argument.start_byte
    end = values[-1].end_byte - argument.start_byte
    return source[start:end].decode("utf-8")


def argument_string(argument: Node) -> str | None:
    """The value of an argument that is a single string literal, else None."""
    values = _value_nodes(argument)
    if len(values) == 1 and values[0].type == "string_literal":
        return string_value(values[0])
    return None


def _split_arguments(arguments: Node) -> tuple[list[Node], dict[str, Node]]:
    """An `arguments` node's positional argument nodes and its named ones by label."""
    positional: list[Node] = []
    named: dict[str, Node] = {}
    for child in arguments.children:
        if child.type == "argument":
            positional.append(child)
        elif child.type == "named_argument":
            label = next((c for c in child.children if c.type == "label"), None)
            if label is not None and label.children:
                named[text(label.children[0])] = child
    return positional, named


def _invocation(chain: list[str], arguments: Node) -> Invocation:
    """An Invocation record for `arguments` called on `chain`."""
    positional, named = _split_arguments(arguments)
    return Invocation(list(chain), line_of(arguments), arguments, positional, named)


def invocations(node: Node) -> Iterator[Invocation]:
    """Every call and instance creation under `node`, in source order (`new`/`const` forms included)."""
    for current in walk(node):
        if current.type in ("const_object_expression", "new_expression"):
            names = [text(c) for c in current.children if c.type in ("type_identifier", "identifier")]
            arguments = next((c for c in current.children if c.type == "arguments"), None)
            if names and arguments is not None:
                yield _invocation(names, arguments)
            continue
        chain: list[str] = []
        for child in current.children:
            if child.type == "identifier":
                chain = [text(child)]
            elif child.type == "selector":
                inner = child.children[0] if child.children else None
                if inner is None:
                    continue
                if inner.type == "argument_part":
                    arguments = next((c for c in inner.children if c.type == "arguments"), None)
                    if arguments is not None and chain:
                        yield _invocation(chain, arguments)
                elif inner.type in ("unconditional_assignable_selector", "conditional_assignable_selector"):
                    identifier = next((c for c in inner.children if c.type == "identifier"), None)
                    if identifier is not None:
                        chain.append(text(identifier))
            elif child.type != "type_arguments":
                chain = []


def string_literals(node: Node) -> Iterator[Node]:
    """Every string literal node under `node`."""
    return (n for n in walk(node) if n.type == "string_literal")
