"""Shared pieces of the Dart generator: templating, imports, and per-entity naming and expressions."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from chalicelib.flutter import naming
from chalicelib.flutter.escape import dart_comment, dart_string
from chalicelib.flutter.spec import Entity, EntityField, Feature, ProductSpec, Screen

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_TOGGLE_FIELDS = ("isBought", "isDone", "isEnabled", "isFavourite", "isCompleted")


def render(template: str, **values: str) -> str:
    """Fill `{{name}}` placeholders (Dart's own braces stay untouched); unknown names fail loudly."""
    text = textwrap.dedent(template).lstrip("\n")
    return _PLACEHOLDER.sub(lambda m: values[m.group(1)], text)


def indent(text: str, spaces: int) -> str:
    """Indent every non-empty line after the first, for splicing blocks into templates."""
    pad = " " * spaces
    return "\n".join((pad + line if line and i else line) for i, line in enumerate(text.splitlines()))


def imports(*uris: str) -> str:
    """An import block: dart: first, then package:, then relative, each sorted, no duplicates."""
    unique = sorted(set(u for u in uris if u))
    groups = [[u for u in unique if u.startswith("dart:")],
              [u for u in unique if u.startswith("package:")],
              [u for u in unique if not u.startswith(("dart:", "package:"))]]
    blocks = ["\n".join(_import_line(u) for u in group) for group in groups if group]
    return "\n\n".join(blocks)


def _import_line(uri: str) -> str:
    if " as " in uri:
        path, alias = uri.split(" as ")
        return f"import '{path}' as {alias};"
    return f"import '{uri}';"


def call(callee: str, args: list[str], col: int = 0, suffix: str = "") -> str:
    """A call as dart format writes it: one line when it fits in 80 columns (`col` characters
    before it, `suffix` after it), else one argument per line with a trailing comma."""
    one = f"{callee}({', '.join(args)}){suffix}"
    if not args or (col + len(one) <= 80 and "\n" not in one):
        return one
    inner = "\n".join("  " + indent(a, 2) + "," for a in args)
    return f"{callee}(\n{inner}\n){suffix}"


def interpolate(*parts: tuple[str, str]) -> str:
    """A Dart string literal from ('text', ...) and ('expr', ...) parts; text is escaped."""
    out = []
    for part_kind, value in parts:
        if part_kind == "text":
            out.append(dart_string(value)[1:-1])
        elif value.isidentifier():
            out.append("$" + value)
        else:
            out.append("${" + value + "}")
    return "'" + "".join(out) + "'"


@dataclass(frozen=True)
class EntityCode:
    """Names, paths and expressions the templates need for one entity."""

    entity: Entity
    owner: Feature
    package: str

    @property
    def name(self) -> str:
        return self.entity.name

    @property
    def snake(self) -> str:
        return naming.snake_case(self.entity.name)

    @property
    def var(self) -> str:
        return naming.lower_camel(self.entity.name)

    @property
    def label(self) -> str:
        """Singular lowercase label ("pantry item")."""
        return naming.singular(self.entity.plural_label.lower())

    @property
    def plural_label(self) -> str:
        return self.entity.plural_label

    @property
    def api_path(self) -> str:
        return collection_path(self.entity)

    def lib(self, layer: str, file: str) -> str:
        """Path under lib/ of a file in the owning feature."""
        return f"lib/features/{self.owner.id}/{layer}/{file}.dart"

    def uri(self, layer: str, file: str) -> str:
        """package: import of a file in the owning feature."""
        return f"package:{self.package}/features/{self.owner.id}/{layer}/{file}.dart"

    @property
    def model_uri(self) -> str:
        return self.uri("domain", self.snake)

    @property
    def repository(self) -> str:
        return f"{self.name}Repository"

    @property
    def repository_uri(self) -> str:
        return self.uri("data", f"{self.snake}_repository")

    @property
    def display_uri(self) -> str:
        return self.uri("ui", f"{self.snake}_display")

    @property
    def fake(self) -> str:
        return f"InMemory{self.name}Repository"

    @property
    def fake_file(self) -> str:
        return f"test/fakes/in_memory_{self.snake}_repository.dart"

    @property
    def fields(self) -> list[EntityField]:
        return self.entity.fields

    @property
    def title_field(self) -> EntityField:
        """The field that names an item in lists and dialogs."""
        return next((f for f in self.fields if f.dart_type == "String" and f.required and not f.choices),
                    self.fields[0])

    @property
    def date_field(self) -> EntityField | None:
        dated = [f for f in self.fields if f.dart_type == "DateTime"]
        return next((f for f in dated if f.with_time), dated[0] if dated else None)

    @property
    def toggle_field(self) -> EntityField | None:
        return next((f for f in self.fields if f.name in _TOGGLE_FIELDS), None)

    @property
    def category_field(self) -> EntityField:
        return self.entity.field("category") or self.title_field

    @property
    def amount_field(self) -> EntityField | None:
        return next((f for f in self.fields if f.dart_type in ("double", "int") and f.required), None)

    def needs_formatters(self) -> bool:
        return any(f.dart_type in ("DateTime", "double") for f in self.fields)


def collection_path(entity: Entity) -> str:
    """The route and REST path of an entity's collection ("/pantry-items")."""
    return "/" + naming.slug(entity.plural_label)


def base_type(field: EntityField) -> str:
    """The Dart type without nullability: the field's enum when it has choices."""
    return field.enum_type if field.choices else field.dart_type


def dart_type(field: EntityField) -> str:
    """The declared Dart type; optional fields are nullable, bools default to false instead."""
    if field.dart_type == "bool":
        return "bool"
    return base_type(field) if field.required else f"{base_type(field)}?"


def is_nullable(field: EntityField) -> bool:
    return field.dart_type != "bool" and not field.required


def from_json(field: EntityField) -> str:
    """Expression reading the field from `json`."""
    key = f"json[{dart_string(field.name)}]"
    if field.choices:
        read = f"{field.enum_type}.fromJson({key})"
        return f"{key} == null ? null : {read}" if is_nullable(field) else read
    match field.dart_type, is_nullable(field):
        case "bool", _:
            return f"{key} as bool? ?? false"
        case "String", False:
            return f"{key} as String"
        case "String", True:
            return f"{key} as String?"
        case "int", False:
            return f"({key} as num).toInt()"
        case "int", True:
            return f"({key} as num?)?.toInt()"
        case "double", False:
            return f"({key} as num).toDouble()"
        case "double", True:
            return f"({key} as num?)?.toDouble()"
        case "DateTime", False:
            return f"DateTime.parse({key} as String)"
        case _:
            return f"{key} == null ? null : DateTime.parse({key} as String)"


def to_json(field: EntityField) -> str:
    """Expression writing the field into JSON."""
    if field.dart_type == "DateTime":
        return f"{field.name}{'?' if is_nullable(field) else ''}.toIso8601String()"
    if field.choices:
        return f"{field.name}{'?' if is_nullable(field) else ''}.name"
    return field.name


def display(field: EntityField, target: str = "", force: bool = False) -> str:
    """A Dart String expression showing the field (of `target`, or bare inside an extension)."""
    value = f"{target}.{field.name}" if target else field.name
    if force:
        value += "!"
    if field.choices:
        return f"{value}.label"
    return {
        "String": value,
        "int": interpolate(("expr", value)),
        "double": f"formatNumber({value})",
        "DateTime": f"formatDateTime({value})" if field.with_time else f"formatDate({value})",
        "bool": f"{value} ? 'Yes' : 'No'",
    }[field.dart_type]


def sample_value(field: EntityField, n: int = 1) -> str:
    """A Dart literal used for this field in generated tests and sample data."""
    if field.choices:
        members = field.enum_members()
        return f"{field.enum_type}.{members[(n - 1) % len(members)]}"
    match field.dart_type:
        case "String":
            return dart_string(f"{field.label} {n}")
        case "int":
            return str(n + 1)
        case "double":
            return {"latitude": "48.8566", "longitude": "2.3522"}.get(field.name, f"{n * 4}.5")
        case "bool":
            return "false"
        case _:
            return f"DateTime(2030, 1, {min(n, 28)}, 9, 30)"


def sample_is_const(code: EntityCode) -> bool:
    """Whether a sample entity is a compile-time constant (no DateTime field)."""
    return all(f.dart_type != "DateTime" for f in code.fields)


def sample_item(code: EntityCode, n: int = 1, col: int = 0, suffix: str = "") -> str:
    """A Dart constructor call building a sample entity, wrapped to fit after `col` columns."""
    args = [f"id: {dart_string(naming.slug(code.snake) + f'-{n}')}"]
    args += [f"{f.name}: {sample_value(f, n)}" for f in code.fields
             if not (f.dart_type == "bool" and sample_value(f, n) == "false")]
    return call(code.name, args, col, suffix)


def sample_list(code: EntityCode, col: int = 0, suffix: str = "") -> str:
    """A one-item list of the sample entity; `const` when the entity allows it."""
    prefix = "const [" if sample_is_const(code) else "["
    one = prefix + sample_item(code, 1, col + len(prefix), "]" + suffix)
    if "\n" not in one:
        return one
    return f"{prefix}\n  " + indent(sample_item(code, 1, col + 2, ","), 2) + f"\n]{suffix}"


def sample_declaration(code: EntityCode, name: str = "item", col: int = 0) -> str:
    """`final item = Entity(...);`, or `const` when the sample is a constant."""
    keyword = "const" if sample_is_const(code) else "final"
    head = f"{keyword} {name} = "
    return head + sample_item(code, 1, col + len(head), ";")


def route_const(screen: Screen) -> str:
    """The member of `Routes` holding a screen's path."""
    return naming.lower_camel(screen.name)


def route_helper(screen: Screen) -> str:
    """The member of `Routes` that builds a concrete location for a screen with parameters."""
    return f"{route_const(screen)}For"


def entity_codes(spec: ProductSpec) -> dict[str, EntityCode]:
    """Every entity with the feature that owns its domain and data layers (the first that uses it)."""
    codes: dict[str, EntityCode] = {}
    managing = [f for f in spec.features if f.kind in ("crud", "reminders")]
    for feature in managing + spec.features:
        if feature.entity and feature.entity not in codes:
            codes[feature.entity] = EntityCode(spec.entity(feature.entity), feature, spec.package_name)
    return codes


def vm_constructor(cls: str, params: list[str], inits: list[str], col: int = 2) -> str:
    """A constructor with named parameters and an initializer list, wrapped like dart format."""
    head = f"{cls}({{{', '.join(params)}}})"
    one = f"{head} : {', '.join(inits)};"
    if col + len(one) <= 80:
        return one
    if col + len(head) <= 80:
        return f"{head}\n    : " + ",\n      ".join(inits) + ";"
    lines = "".join(f"  {p},\n" for p in params)
    return f"{cls}({{\n{lines}}})  : " + ",\n      ".join(inits) + ";"


def empty_text(code: EntityCode) -> str:
    """The empty state of an entity's list."""
    return f"No {code.plural_label.lower()} yet. Tap Add to create one."


def error_and_empty(plural: str, icon: str, empty: str, col: int) -> str:
    """The error and empty guards of a data screen (`if` at column `col`)."""
    error = call("ErrorView", [f"message: {dart_string(f'Could not load {plural}.')}",
                               "onRetry: viewModel.load"], col + 9, ";")
    text = ("if (viewModel.error != null) {\n  return " + indent(error, 2) + "\n}")
    if empty:
        view = call("const EmptyView", [f"icon: Icons.{icon}", f"message: {dart_string(empty)}"],
                    col + 9, ";")
        text += "\nif (viewModel.items.isEmpty) {\n  return " + indent(view, 2) + "\n}"
    return text


def pump_widget(home: str, col: int = 4, const: bool = False) -> str:
    """`await tester.pumpWidget(MaterialApp(home: ...));` wrapped like dart format."""
    app = "const MaterialApp" if const else "MaterialApp"
    one = f"await tester.pumpWidget({app}(home: {home}));"
    if col + len(one) <= 80:
        return one
    inner = call(app, [f"home: {home}"], col + 2, ",")
    return f"await tester.pumpWidget(\n  {indent(inner, 2)}\n);"


def test_view_model(cls: str, args: list[str], col: int = 4) -> str:
    """`final viewModel = Cls(...);` wrapped like dart format."""
    head = "final viewModel = "
    return head + call(cls, args, col + len(head), ";")


def sample_text(field: EntityField, n: int = 1) -> str | None:
    """The text a sample item shows for this field, as a Dart literal (None when not text)."""
    if field.choices:
        return dart_string(field.choices[(n - 1) % len(field.choices)])
    return dart_string(f"{field.label} {n}") if field.dart_type == "String" else None


def enum_declaration(field: EntityField) -> str:
    """The Dart enum of a choice field: one member per choice, labelled with the user's words."""
    members = field.enum_members()
    values = "\n".join(
        call(member, [dart_string(choice)], 2, "," if i < len(members) - 1 else ";")
        for i, (member, choice) in enumerate(zip(members, field.choices, strict=True)))
    name = field.enum_type
    reader = _fits(f"  static {name} fromJson(Object? name) => values.asNameMap()[name] ?? {members[0]};",
                   f"  static {name} fromJson(Object? name) =>\n      values.asNameMap()[name] ?? {members[0]};")
    return render("""
        /// The allowed values of {{label}}; JSON stores a value by its [name].
        enum {{name}} {
          {{values}}

          const {{name}}(this.label);

          /// What users see, in the words of the request.
          final String label;

          /// The value stored as [name]; an unknown or missing one reads as [{{first}}].
          {{reader}}
        }
        """, label=dart_comment(field.label.lower()), name=name, values=indent(values, 2),
        first=members[0], reader=reader.lstrip())


def _fits(one_line: str, wrapped: str) -> str:
    return one_line if len(one_line) <= 80 else wrapped
