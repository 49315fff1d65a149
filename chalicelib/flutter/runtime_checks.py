"""Static start-up and navigation checks: entry point, go_router table, reachability of every screen."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chalicelib.flutter import dart_parser as dart
from chalicelib.pipeline.context import Finding

if TYPE_CHECKING:
    from tree_sitter import Node

    from chalicelib.flutter.spec import ProductSpec

START_BLOCKERS = frozenset({"entry.missing_run_app", "runtime.no_home", "runtime.route_args"})
"""Rules whose findings mean the app cannot compile or show its first screen."""

_ROUTE_KINDS = {"GoRoute", "ShellRoute", "StatefulShellRoute", "indexedStack", "StatefulShellBranch"}
_PAGE_WRAPPERS = {
    "MaterialPage",
    "CupertinoPage",
    "CustomTransitionPage",
    "NoTransitionPage",
    "ValueKey",
    "ObjectKey",
    "UniqueKey",
    "Key",
}
_PATH_NAVIGATION = {"go", "push", "pushReplacement", "replace"}
_NAMED_NAVIGATION = {"goNamed", "pushNamed", "pushReplacementNamed", "replaceNamed"}
_PATH_PARAMETER = re.compile(r"pathParameters\s*\[\s*['\"](\w+)['\"]\s*\]")
_STRING_CONSTANT = re.compile(r"\bconst\s+(?:String\s+)?(\w+)\s*=\s*'([^'$\\]*)'\s*;")
_STRING_HELPER = re.compile(r"\bString\s+(\w+)\s*\([^)]*\)\s*=>\s*'([^'\\]*)'\s*;")
_INTERPOLATION = re.compile(r"\$\{([^}]*)\}|\$(\w+)")
_WILDCARD = "\x00"


def _lib_dart(files: dict[str, str]) -> dict[str, str]:
    """The Dart files under lib/."""
    return {p: t for p, t in files.items() if p.startswith("lib/") and p.endswith(".dart")}


def entry_findings(files: dict[str, str]) -> list[Finding]:
    """`lib/main.dart` must exist, declare `main()` and call `runApp`: otherwise nothing starts."""
    main = files.get("lib/main.dart")
    if main is None:
        return [Finding("entry.missing_run_app", "lib/main.dart is missing: the app has no entry point",
                        "error", "lib/main.dart", 1)]
    root = dart.parse(main).root_node
    declares_main = any(
        node.type == "function_signature"
        and any(c.type == "identifier" and dart.text(c) == "main" for c in node.children)
        for node in root.children
    )
    if not declares_main:
        return [Finding("entry.missing_run_app", "lib/main.dart declares no top-level main()",
                        "error", "lib/main.dart", 1)]
    if not any(call.name == "runApp" for call in dart.invocations(root)):
        return [Finding("entry.missing_run_app", "main() never calls runApp(), so no widget is shown",
                        "error", "lib/main.dart", 1)]
    return []


@dataclass
class Route:
    """One go_router route: where it is declared, its full path, its screen and how it is built."""

    kind: str
    file: str
    line: int
    path: str | None
    name: str | None
    screen: str | None
    screen_call: dart.Invocation | None
    builder: Node | None
    parent: Route | None = None
    children: list[Route] = field(default_factory=list)

    @property
    def path_parameters(self) -> set[str]:
        """The `:name` parameters of the full path."""
        return set(re.findall(r":(\w+)", self.path or ""))


@dataclass
class RouteTable:
    """Every route of the app, the router's initial location, and paths its redirects send users to."""

    routes: list[Route]
    initial_location: str = "/"
    redirect_targets: list[str] = field(default_factory=list)
    router_files: set[str] = field(default_factory=set)

    def match(self, target: str) -> Route | None:
        """The routed screen a location leads to; with wildcard segments, the route that fits them best."""
        scored = [
            (score, -index, route)
            for index, route in enumerate(self.routes)
            if route.path is not None and route.screen is not None
            and (score := _match_score(route.path, target)) is not None
        ]
        return max(scored, key=lambda item: item[:2])[2] if scored else None

    def named(self, name: str) -> Route | None:
        """The route registered under `name`."""
        return next((r for r in self.routes if r.name == name), None)


def _segments(path: str) -> list[str]:
    """The non-empty segments of a location, its query string dropped."""
    return [s for s in path.split("?")[0].split("/") if s]


def _match_score(pattern: str, target: str) -> int | None:
    """How well a route pattern (`/items/:id`) fits a location, or None when it does not accept it.

    A literal segment equal to the target's and a parameter facing an unknown (wildcard) part fit best;
    a parameter facing a literal fits less; a literal facing a wildcard fits least.
    """
    wanted, given = _segments(pattern), _segments(target)
    if len(wanted) != len(given):
        return None
    score = 0
    for want, give in zip(wanted, given, strict=True):
        if want.startswith(":"):
            score += 2 if give == _WILDCARD else 1
        elif give != _WILDCARD and want != give:
            return None
        else:
            score += 2 if want == give else 0
    return score


def _join(parent: str | None, path: str) -> str:
    """The full path of a child route under its parent's full path."""
    if path.startswith("/") or not parent:
        return path if path.startswith("/") else "/" + path
    return posixpath.join(parent, path)


def _route_kind(call: dart.Invocation) -> str | None:
    """Which go_router route class an invocation builds, if any."""
    if call.chain[:1] == ["StatefulShellRoute"] and call.name == "indexedStack":
        return "StatefulShellRoute"
    if len(call.chain) == 1 and call.name in _ROUTE_KINDS:
        return call.name
    return None


def _screen_call(builder: Node | None) -> dart.Invocation | None:
    """The widget a route builder constructs (page wrappers like MaterialPage looked through)."""
    if builder is None:
        return None
    for call in dart.invocations(builder):
        first = call.chain[0]
        if first[:1].isupper() and first not in _PAGE_WRAPPERS and _route_kind(call) is None:
            return call
    return None


def _string_constants(files: dict[str, str]) -> dict[str, str]:
    """Route-like string values: `const` strings and one-line `String f(...) => '...'` helpers.

    Every value is keyed by its bare name, class members also as `Class.name`. They let `context.go(AppRoutes.items)`
    and `context.push(Routes.itemFor(id))` be followed; a helper's parameters become wildcard segments.
    """
    constants: dict[str, str] = {}
    helpers: dict[str, str] = {}
    for source in _lib_dart(files).values():
        constants.update(_STRING_CONSTANT.findall(source))
        helpers.update(_STRING_HELPER.findall(source))
        for node in dart.parse(source).root_node.children:
            if node.type != "class_definition":
                continue
            owner = next((dart.text(c) for c in node.children if c.type == "identifier"), None)
            if owner is None:
                continue
            body = dart.text(node)
            constants.update({f"{owner}.{name}": value for name, value in _STRING_CONSTANT.findall(body)})
            helpers.update({f"{owner}.{name}": template for name, template in _STRING_HELPER.findall(body)})
    for name, template in helpers.items():
        constants.setdefault(name, _substitute(template, constants))
    return constants


def _lookup(reference: str, constants: dict[str, str]) -> str | None:
    """The value of a constant reference (`Routes.items`, or a bare member name used inside its class)."""
    parts = reference.split(".")
    qualified = ".".join(parts[-2:])
    if qualified in constants:
        return constants[qualified]
    return constants.get(parts[-1]) or next(
        (value for key, value in constants.items() if key.endswith("." + parts[-1])), None)


def _substitute(template: str, constants: dict[str, str]) -> str:
    """A string template with interpolated constants filled in and everything else a wildcard."""

    def value(match: re.Match[str]) -> str:
        expression = (match.group(1) or match.group(2) or "").strip()
        return _lookup(expression, constants) or _WILDCARD

    return _INTERPOLATION.sub(value, template)


def _resolve_location(argument_source: str, constants: dict[str, str]) -> str | None:
    """A navigation argument's location: literal text, constants and helpers followed; None when dynamic."""
    source = argument_source.strip()
    literal = re.fullmatch(r"r?(['\"])(.*)\1", source, re.DOTALL)
    if literal is not None:
        return _substitute(literal.group(2), constants)
    reference = re.fullmatch(r"([\w.]+)(?:\(.*\))?", source, re.DOTALL)
    return _lookup(reference.group(1), constants) if reference else None


def _redirect_targets(source: str, constants: dict[str, str]) -> list[str]:
    """Locations a router's redirect can send users to: path literals and path constants it mentions."""
    literals = re.findall(r"['\"](/[^'\"]*)['\"]", source)
    references = [_lookup(f"{owner}.{member}", constants) for owner, member in re.findall(r"\b([A-Z]\w*)\.(\w+)\b", source)]
    return literals + [location for location in references if location and location.startswith("/")]


def route_table(files: dict[str, str]) -> RouteTable:
    """Every GoRoute/ShellRoute declared under lib/, with full paths computed through nesting."""
    table = RouteTable(routes=[])
    constants = _string_constants(files)

    def location(call: dart.Invocation, label: str) -> str | None:
        """A route's path-like argument, constants followed."""
        if label not in call.named:
            return None
        return _resolve_location(dart.argument_text(call.named[label]), constants)

    for path, source in sorted(_lib_dart(files).items()):
        root = dart.parse(source).root_node
        calls = list(dart.invocations(root))
        declared: list[tuple[dart.Invocation, Route]] = []
        for call in calls:
            if call.name == "GoRouter" and "initialLocation" in call.named:
                table.initial_location = location(call, "initialLocation") or "/"
            if call.name == "GoRouter" and "redirect" in call.named:
                table.redirect_targets.extend(_redirect_targets(dart.text(call.named["redirect"]), constants))
            kind = _route_kind(call)
            if kind is None:
                continue
            builder = call.named.get("builder") or call.named.get("pageBuilder")
            screen_call = _screen_call(builder)
            route = Route(
                kind=kind,
                file=path,
                line=call.line,
                path=location(call, "path"),
                name=location(call, "name"),
                screen=screen_call.chain[0] if screen_call else None,
                screen_call=screen_call,
                builder=builder,
            )
            declared.append((call, route))
            table.router_files.add(path)
        _link_parents(declared)
        table.routes.extend(route for _, route in declared)
    return table


def _link_parents(declared: list[tuple[dart.Invocation, Route]]) -> None:
    """Give each route its innermost enclosing route and compute its full path from it."""
    for call, route in declared:
        enclosing = [
            (other_call, other)
            for other_call, other in declared
            if other is not route
            and other_call.arguments.start_byte <= call.arguments.start_byte
            and call.arguments.end_byte <= other_call.arguments.end_byte
        ]
        if enclosing:
            _, parent = max(enclosing, key=lambda pair: pair[0].arguments.start_byte)
            route.parent = parent
            parent.children.append(route)
    for _, route in declared:
        if route.path is not None:
            route.path = _join(_ancestor_path(route.parent), route.path)


def _ancestor_path(route: Route | None) -> str | None:
    """The full path of the nearest ancestor that has one (shell routes have none).

    Routes are processed outermost first, so an ancestor's path is already full.
    """
    while route is not None and route.path is None:
        route = route.parent
    return route.path if route is not None else None


def _classes(files: dict[str, str]) -> dict[str, tuple[str, dart.DartClass]]:
    """Every class declared under lib/ by name, with the file declaring it."""
    found: dict[str, tuple[str, dart.DartClass]] = {}
    for path, source in _lib_dart(files).items():
        for declaration in dart.class_declarations(source):
            found.setdefault(declaration.name, (path, declaration))
    return found


def _constructor_findings(route: Route, declaration: dart.DartClass) -> list[str]:
    """Why a builder's call cannot compile against the screen's constructor (empty when it can)."""
    call = route.screen_call
    if call is None:
        return []
    wanted = call.chain[1] if len(call.chain) > 1 else ""
    constructors = declaration.constructors or (dart.Constructor("", ()),)
    constructor = next((c for c in constructors if c.name == wanted), None)
    if constructor is None:
        return [f"{declaration.name} has no constructor named '{wanted or declaration.name}'"]
    problems: list[str] = []
    named = {p.name: p for p in constructor.parameters if p.named}
    positional = [p for p in constructor.parameters if not p.named]
    missing = [p.name for p in named.values() if p.required and p.name not in call.named]
    if missing:
        problems.append(f"required argument(s) {', '.join(missing)} not passed")
    unknown = sorted(set(call.named) - set(named))
    if unknown:
        problems.append(f"unknown named argument(s) {', '.join(unknown)}")
    needed = sum(1 for p in positional if p.required)
    if not needed <= len(call.positional) <= len(positional):
        problems.append(f"{len(call.positional)} positional argument(s) given, {needed}..{len(positional)} accepted")
    return problems


def _route_findings(table: RouteTable, classes: dict[str, tuple[str, dart.DartClass]]) -> list[Finding]:
    """Builders that construct undeclared widgets, miss arguments, or read path parameters absent from the path."""
    findings: list[Finding] = []
    for route in table.routes:
        if route.screen is None:
            continue
        declared = classes.get(route.screen)
        if declared is None:
            if route.screen.endswith(("Screen", "Page", "Shell")):
                findings.append(Finding("runtime.route_args",
                                        f"route {route.path or route.kind} builds {route.screen}, "
                                        "which no file under lib/ declares", "error", route.file, route.line))
            continue
        for problem in _constructor_findings(route, declared[1]):
            findings.append(Finding("runtime.route_args",
                                    f"route {route.path or route.kind} cannot build {route.screen}: {problem}",
                                    "error", route.file, route.line))
        builder_text = dart.text(route.builder) if route.builder is not None else ""
        for parameter in sorted(set(_PATH_PARAMETER.findall(builder_text)) - route.path_parameters):
            findings.append(Finding("runtime.route_param",
                                    f"route {route.path} reads path parameter '{parameter}' it does not declare",
                                    "error", route.file, route.line))
    return findings


def _navigation_targets(
    source: str, table: RouteTable, constants: dict[str, str], path: str
) -> tuple[list[Route], list[Finding]]:
    """The routes one file navigates to, and findings for navigation to locations nothing serves."""
    reached: list[Route] = []
    findings: list[Finding] = []
    dynamic = False
    for call in dart.invocations(dart.parse(source).root_node):
        if not call.positional or call.name not in _PATH_NAVIGATION | _NAMED_NAVIGATION:
            continue
        argument = dart.argument_text(call.positional[0])
        resolved = _resolve_location(argument, constants)
        if resolved is None:
            dynamic = dynamic or (call.name in _PATH_NAVIGATION and argument != "context")
            continue
        if call.name in _NAMED_NAVIGATION:
            route = table.named(resolved)
            target = f"the route named '{resolved}'"
        elif resolved.startswith("/"):
            route = table.match(resolved)
            target = resolved.replace(_WILDCARD, "*")
        else:
            continue
        if route is not None:
            reached.append(route)
        else:
            findings.append(Finding("runtime.unknown_route", f"navigates to {target}, which no route serves",
                                    "error", path, call.line))
    if dynamic:
        reached += _referenced_routes(source, table, constants)
    return reached, findings


def _referenced_routes(source: str, table: RouteTable, constants: dict[str, str]) -> list[Route]:
    """Routes whose path constants a file mentions: the targets of its data-driven navigation.

    A home screen that lists destinations and calls `context.push(destination.route)` reaches
    every route constant in its destination list.
    """
    routes: list[Route] = []
    for owner, member in re.findall(r"\b([A-Z]\w*)\.(\w+)\b", source):
        location = constants.get(f"{owner}.{member}")
        route = table.match(location) if location and location.startswith("/") else None
        if route is not None:
            routes.append(route)
    return routes


def _home_file(
    table: RouteTable, spec: ProductSpec | None, classes: dict[str, tuple[str, dart.DartClass]]
) -> str | None:
    """The file of the screen users land on: the spec's home screen, else the initial route's screen."""
    if spec is not None:
        home = next((s for s in spec.screens if s.is_home), None)
        if home is not None:
            return home.file
    route = table.match(table.initial_location)
    if route is not None and route.screen in classes:
        return classes[route.screen][0]
    return None


def _shell_files(route: Route, classes: dict[str, tuple[str, dart.DartClass]]) -> list[str]:
    """The files of the shell widgets wrapping a route (a reachable tab shows its shell)."""
    files: list[str] = []
    ancestor = route.parent
    while ancestor is not None:
        if ancestor.kind in ("ShellRoute", "StatefulShellRoute") and ancestor.screen in classes:
            files.append(classes[ancestor.screen][0])
        ancestor = ancestor.parent
    return files


def _branch_siblings(route: Route) -> list[Route]:
    """The first route of every branch of the stateful shell a route sits in (tabs switch branches)."""
    ancestor = route.parent
    while ancestor is not None and ancestor.kind != "StatefulShellRoute":
        ancestor = ancestor.parent
    if ancestor is None:
        return []
    return [branch.children[0] for branch in ancestor.children if branch.children]


def _reachable_files(
    start: str,
    files: dict[str, str],
    table: RouteTable,
    classes: dict[str, tuple[str, dart.DartClass]],
) -> tuple[set[str], list[Finding]]:
    """Files reachable from the home screen through navigation calls and widget composition."""
    constants = _string_constants(files)
    lib = _lib_dart(files)
    seen: set[str] = set()
    findings: list[Finding] = []
    pending = [start]
    for location in table.redirect_targets:
        route = table.match(location)
        if route is not None and route.screen in classes:
            pending.append(classes[route.screen][0])
    while pending:
        current = pending.pop()
        if current in seen or current not in lib:
            continue
        seen.add(current)
        source = lib[current]
        routes, unknown = _navigation_targets(source, table, constants, current)
        findings.extend(unknown)
        for route in routes:
            for reached in [route, *_branch_siblings(route)]:
                if reached.screen in classes:
                    pending.append(classes[reached.screen][0])
            pending.extend(_shell_files(route, classes))
        if current in table.router_files:
            continue
        for name in dart.identifiers_used(source):
            if name in classes:
                pending.append(classes[name][0])
    return seen, findings


def check_runtime(files: dict[str, str], spec: ProductSpec | None) -> list[Finding]:
    """Whether the app can start and every screen can be reached from the home screen."""
    findings = entry_findings(files)
    table = route_table(files)
    classes = _classes(files)
    findings.extend(_route_findings(table, classes))
    home = _home_file(table, spec, classes)
    if home is None or home not in files:
        findings.append(Finding("runtime.no_home",
                                f"no home screen: nothing is routed at the initial location {table.initial_location}",
                                "error", "lib/main.dart", 1))
        return findings
    reachable, unknown = _reachable_files(home, files, table, classes)
    findings.extend(unknown)
    screens: dict[str, tuple[str, int | None]] = {}
    for route in table.routes:
        if route.kind == "GoRoute" and route.screen in classes:
            path, declaration = classes[route.screen]
            screens[route.screen] = (path, declaration.line)
    for screen in spec.screens if spec is not None else []:
        screens.setdefault(screen.widget, (screen.file, None))
    for widget, (path, line) in sorted(screens.items()):
        if path not in reachable:
            findings.append(Finding("runtime.unreachable_screen",
                                    f"{widget} cannot be reached from the home screen by any navigation",
                                    "error", path, line))
    return findings
