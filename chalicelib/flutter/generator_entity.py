"""Per-entity Dart: immutable model, repository interface, local and remote implementations, fakes."""

from __future__ import annotations

from chalicelib.flutter.escape import dart_comment, dart_string
from chalicelib.flutter.generator_dart import (
    EntityCode,
    base_type,
    call,
    dart_type,
    display,
    enum_declaration,
    from_json,
    imports,
    indent,
    interpolate,
    is_nullable,
    render,
    sample_declaration,
    to_json,
    vm_constructor,
)


def _class_decl(cls: str, interface: str) -> str:
    """`class A implements B {`, wrapped like dart format when it is too long."""
    one = f"class {cls} implements {interface} {{"
    return one if len(one) <= 80 else f"class {cls}\n    implements {interface} {{"


def _wrap_arrow(head: str, body: str, col: int, end: str = ",") -> str:
    """`head => body` on one line when it fits, else with the body on the next line."""
    one = f"{head} => {body}{end}"
    return one if col + len(one) <= 80 else f"{head} =>\n    {body}{end}"


def _map_call(lambda_text: str, col: int) -> str:
    """`.map(lambda)` in a cascade of calls, split like dart format when too long."""
    one = f".map({lambda_text})"
    if col + len(one) <= 80:
        return one
    if col + 2 + len(lambda_text) + 1 <= 80:
        return f".map(\n  {lambda_text},\n)"
    params, body = lambda_text.split(" => ", 1)
    return f".map(\n  {params} =>\n      {body},\n)"


def _json_entry(field) -> str:
    """One `name: value,` argument of fromJson, split at the `?` like dart format."""
    entry = f"{field.name}: {from_json(field)},"
    if 6 + len(entry) <= 80 or " ? null : " not in entry:
        return entry
    check, parse = entry.split(" ? null : ", 1)
    return f"{check}\n    ? null\n    : {parse}"


def model(code: EntityCode) -> str:
    """lib/features/<f>/domain/<entity>.dart: value type with copyWith, JSON and equality."""
    fields = code.fields
    ctor = ["required this.id,"] + [
        f"this.{f.name} = false," if f.dart_type == "bool" else
        (f"required this.{f.name}," if f.required else f"this.{f.name},") for f in fields]
    members = ["final String id;"] + [
        f"/// {dart_comment(f.label)}.\nfinal {dart_type(f)} {f.name};" for f in fields]
    json_in = ["id: json['id'] as String,"] + [_json_entry(f) for f in fields]
    copy_params = ["String? id,"] + [f"{base_type(f)}? {f.name}," for f in fields]
    copy_args = ["id: id ?? this.id,"] + [f"{f.name}: {f.name} ?? this.{f.name}," for f in fields]
    json_out = ["'id': id,"] + [f"{dart_string(f.name)}: {to_json(f)}," for f in fields]
    equals = " &&\n          ".join(["other.id == id"] + [f"other.{f.name} == {f.name}" for f in fields])
    hashed = call("Object.hashAll", ["[" + ", ".join(["id"] + [f.name for f in fields]) + "]"],
                  len("  int get hashCode => "), ";")
    if "\n" in hashed:
        hashed = "Object.hashAll([\n" + "".join(f"        {n},\n" for n in ["id"] + [
            f.name for f in fields]) + "      ]);"
    enums = "".join(enum_declaration(f) + "\n" for f in fields if f.choices)
    return enums + render("""
        /// {{doc}}
        class {{name}} {
          const {{name}}({
            {{ctor}}
          });

          /// Reads a {{label}} written by [toJson].
          factory {{name}}.fromJson(Map<String, dynamic> json) {
            return {{name}}(
              {{json_in}}
            );
          }

          {{members}}

          /// A copy with the given fields replaced.
          {{name}} copyWith({
            {{copy_params}}
          }) {
            return {{name}}(
              {{copy_args}}
            );
          }

          /// JSON for storage and the backend.
          Map<String, dynamic> toJson() => {
                {{json_out}}
              };

          @override
          bool operator ==(Object other) =>
              identical(this, other) ||
              other is {{name}} &&
                  {{equals}};

          @override
          int get hashCode => {{hashed}}
        }
        """, doc=dart_comment(f"A {code.label}."), name=code.name, label=dart_comment(code.label),
        ctor=indent("\n".join(ctor), 4), json_in=indent("\n".join(json_in), 6),
        members=indent("\n\n".join(members), 2), copy_params=indent("\n".join(copy_params), 4),
        copy_args=indent("\n".join(copy_args), 6), json_out=indent("\n".join(json_out), 8),
        equals=equals, hashed=hashed)


def repository_interface(code: EntityCode) -> str:
    """lib/features/<f>/data/<entity>_repository.dart: what the UI depends on."""
    return render("""
        {{imports}}

        /// Where {{plural}} are kept; view models depend on this interface only.
        abstract interface class {{repo}} {
          /// Every saved {{label}}.
          Future<Result<List<{{name}}>>> fetchAll();

          /// One {{label}} by id, or an error when it does not exist.
          Future<Result<{{name}}>> fetchById(String id);

          /// Creates the {{label}} or replaces the one with the same id.
          Future<Result<void>> save({{name}} item);

          /// Removes the {{label}} with [id].
          Future<Result<void>> delete(String id);
        }
        """, imports=imports(code.model_uri, f"package:{code.package}/utils/result.dart"),
        plural=dart_comment(code.plural_label.lower()), repo=code.repository,
        label=dart_comment(code.label), name=code.name)


def local_repository(code: EntityCode) -> str:
    """Device storage through shared_preferences, used offline and for backend none."""
    return render("""
        {{imports}}

        /// Keeps {{plural}} on the device as JSON in shared preferences.
        {{class_decl}}
          static const _storageKey = {{key}};

          Future<List<{{name}}>> _readAll() async {
            final preferences = await SharedPreferences.getInstance();
            final stored = preferences.getString(_storageKey);
            if (stored == null) {
              return [];
            }
            final decoded = jsonDecode(stored) as List<dynamic>;
            return decoded
                {{map_entries}}
                .toList();
          }

          Future<void> _writeAll(List<{{name}}> items) async {
            final preferences = await SharedPreferences.getInstance();
            final encoded = jsonEncode(items.map((item) => item.toJson()).toList());
            await preferences.setString(_storageKey, encoded);
          }

          @override
          Future<Result<List<{{name}}>>> fetchAll() async {
            try {
              return Result.ok(await _readAll());
            } on Exception catch (error) {
              return Result.error(error);
            }
          }

          @override
          Future<Result<{{name}}>> fetchById(String id) async {
            try {
              final items = await _readAll();
              for (final item in items) {
                if (item.id == id) {
                  return Result.ok(item);
                }
              }
              return Result.error(Exception({{missing}}));
            } on Exception catch (error) {
              return Result.error(error);
            }
          }

          @override
          Future<Result<void>> save({{name}} item) async {
            try {
              final items = await _readAll();
              final index = items.indexWhere((existing) => existing.id == item.id);
              if (index == -1) {
                items.add(item);
              } else {
                items[index] = item;
              }
              await _writeAll(items);
              return const Result.ok(null);
            } on Exception catch (error) {
              return Result.error(error);
            }
          }

          @override
          Future<Result<void>> delete(String id) async {
            try {
              final items = await _readAll();
              items.removeWhere((item) => item.id == id);
              await _writeAll(items);
              return const Result.ok(null);
            } on Exception catch (error) {
              return Result.error(error);
            }
          }
        }
        """, imports=imports("dart:convert", "package:shared_preferences/shared_preferences.dart",
                             code.model_uri, code.repository_uri,
                             f"package:{code.package}/utils/result.dart"),
        plural=dart_comment(code.plural_label.lower()), repo=code.repository,
        key=dart_string(code.entity.collection), name=code.name,
        class_decl=_class_decl(f"Local{code.repository}", code.repository),
        map_entries=indent(_map_call(
            f"(entry) => {code.name}.fromJson(entry as Map<String, dynamic>)", 8), 8),
        missing=dart_string(f"No {code.label} with this id."))


def remote_repository(code: EntityCode, backend: str) -> str:
    """The backend implementation of the repository interface."""
    result_uri = f"package:{code.package}/utils/result.dart"
    shared = dict(repo=code.repository, name=code.name, collection=dart_string(code.entity.collection),
                  missing=dart_string(f"No {code.label} with this id."),
                  plural=dart_comment(code.plural_label.lower()))
    if backend == "rest":
        return render("""
            {{imports}}

            /// Reads and writes {{plural}} through the REST API
            /// (see ../docs/openapi.yaml).
            {{class_decl}}
              {{ctor}}

              static const _path = {{path}};

              final ApiClient _apiClient;

              @override
              Future<Result<List<{{name}}>>> fetchAll() async {
                final result = await _apiClient.getList(_path);
                return switch (result) {
                  {{ok_list}}
                  Error(:final error) => Result.error(error),
                };
              }

              @override
              Future<Result<{{name}}>> fetchById(String id) async {
                final result = await _apiClient.getObject('$_path/$id');
                return switch (result) {
                  Ok(:final value) => Result.ok({{name}}.fromJson(value)),
                  Error(:final error) => Result.error(error),
                };
              }

              @override
              Future<Result<void>> save({{name}} item) =>
                  _apiClient.put('$_path/${item.id}', item.toJson());

              @override
              Future<Result<void>> delete(String id) => _apiClient.delete('$_path/$id');
            }
            """, imports=imports(code.model_uri, code.repository_uri,
                                 f"package:{code.package}/data/services/api_client.dart", result_uri),
            path=dart_string(code.api_path), class_decl=_class_decl(
                f"Remote{code.repository}", code.repository),
            ctor=indent(vm_constructor(f"Remote{code.repository}",
                                       ["required ApiClient apiClient"],
                                       ["_apiClient = apiClient"]), 2),
            ok_list=indent(_wrap_arrow("Ok(:final value)",
                                       f"Result.ok(value.map({code.name}.fromJson).toList())",
                                       6), 6),
            **shared)
    if backend == "firebase":
        return render("""
            {{imports}}

            /// Keeps {{plural}} in the Cloud Firestore collection {{collection}}.
            {{class_decl}}
              Remote{{repo}}({FirebaseFirestore? firestore})
                  : _firestore = firestore ?? FirebaseFirestore.instance;

              final FirebaseFirestore _firestore;

              CollectionReference<Map<String, dynamic>> get _collection =>
                  _firestore.collection({{collection}});

              @override
              Future<Result<List<{{name}}>>> fetchAll() async {
                try {
                  final snapshot = await _collection.get();
                  return Result.ok(snapshot.docs
                      {{map_docs}}
                      .toList());
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }

              @override
              Future<Result<{{name}}>> fetchById(String id) async {
                try {
                  final doc = await _collection.doc(id).get();
                  final data = doc.data();
                  if (data == null) {
                    return Result.error(Exception({{missing}}));
                  }
                  return Result.ok({{name}}.fromJson({...data, 'id': doc.id}));
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }

              @override
              Future<Result<void>> save({{name}} item) async {
                try {
                  await _collection.doc(item.id).set(item.toJson());
                  return const Result.ok(null);
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }

              @override
              Future<Result<void>> delete(String id) async {
                try {
                  await _collection.doc(id).delete();
                  return const Result.ok(null);
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }
            }
            """, imports=imports("package:cloud_firestore/cloud_firestore.dart", code.model_uri,
                                 code.repository_uri, result_uri),
            class_decl=_class_decl(f"Remote{code.repository}", code.repository),
            map_docs=indent(_map_call(
                f"(doc) => {code.name}.fromJson({{...doc.data(), 'id': doc.id}})", 10), 10),
            **shared)
    return render("""
        {{imports}}

        /// Keeps {{plural}} in the Supabase table {{collection}}.
        {{class_decl}}
          Remote{{repo}}({SupabaseClient? client})
              : _client = client ?? Supabase.instance.client;

          static const _table = {{collection}};

          final SupabaseClient _client;

          @override
          Future<Result<List<{{name}}>>> fetchAll() async {
            try {
              final rows = await _client.from(_table).select();
              return Result.ok(rows.map({{name}}.fromJson).toList());
            } on Exception catch (error) {
              return Result.error(error);
            }
          }

          @override
          Future<Result<{{name}}>> fetchById(String id) async {
            try {
              final row = await _client.from(_table).select().eq('id', id).maybeSingle();
              if (row == null) {
                return Result.error(Exception({{missing}}));
              }
              return Result.ok({{name}}.fromJson(row));
            } on Exception catch (error) {
              return Result.error(error);
            }
          }

          @override
          Future<Result<void>> save({{name}} item) async {
            try {
              await _client.from(_table).upsert(item.toJson());
              return const Result.ok(null);
            } on Exception catch (error) {
              return Result.error(error);
            }
          }

          @override
          Future<Result<void>> delete(String id) async {
            try {
              await _client.from(_table).delete().eq('id', id);
              return const Result.ok(null);
            } on Exception catch (error) {
              return Result.error(error);
            }
          }
        }
        """, imports=imports("package:supabase_flutter/supabase_flutter.dart", code.model_uri,
                             code.repository_uri, result_uri),
        class_decl=_class_decl(f"Remote{code.repository}", code.repository), **shared)


def _fake_ctor(code: EntityCode) -> str:
    head = f"{code.fake}([List<{code.name}> initial = const []])"
    init = "_items = {for (final item in initial) item.id: item};"
    if 2 + len(head) <= 80:
        return f"{head}\n    : {init}"
    return f"{code.fake}([\n  List<{code.name}> initial = const [],\n]) : {init}"


def fake_repository(code: EntityCode) -> str:
    """test/fakes/in_memory_<entity>_repository.dart: a repository for widget tests."""
    return render("""
        {{imports}}

        /// Holds {{plural}} in memory so widget tests need no plugins.
        {{class_decl}}
          {{ctor}}

          final Map<String, {{name}}> _items;

          @override
          Future<Result<List<{{name}}>>> fetchAll() async =>
              Result.ok(_items.values.toList());

          @override
          Future<Result<{{name}}>> fetchById(String id) async {
            final item = _items[id];
            return item == null
                ? Result.error(Exception('Not found'))
                : Result.ok(item);
          }

          @override
          Future<Result<void>> save({{name}} item) async {
            _items[item.id] = item;
            return const Result.ok(null);
          }

          @override
          Future<Result<void>> delete(String id) async {
            _items.remove(id);
            return const Result.ok(null);
          }
        }
        """, imports=imports(code.model_uri, code.repository_uri,
                             f"package:{code.package}/utils/result.dart"),
        plural=dart_comment(code.plural_label.lower()), fake=code.fake, repo=code.repository,
        name=code.name, class_decl=_class_decl(code.fake, code.repository), ctor=indent(
            _fake_ctor(code), 2))


def display_extension(code: EntityCode) -> str:
    """lib/features/<f>/ui/<entity>_display.dart: how an item reads in lists and details."""
    title = code.title_field
    others = [f for f in code.fields if f is not title and f.dart_type != "bool"
              and f.name not in ("latitude", "longitude")][:3]
    parts = []
    for f in others:
        shown = display(f, force=is_nullable(f))
        text = interpolate(("text", f"{f.label}: "), ("expr", f"{f.name}!" if is_nullable(f)
                                                       and f.dart_type == "int" else
                                                       f.name if f.dart_type == "int" else shown))
        parts.append(f"if ({f.name} != null) {text}," if is_nullable(f) else f"{text},")
    values = []
    for f in code.fields:
        if is_nullable(f):
            shown = f"{f.name} ?? '-'" if f.dart_type == "String" and not f.choices else \
                f"{f.name} == null ? '-' : {display(f, force=True)}"
        else:
            shown = display(f)
        values.append(f"{dart_string(f.label)}: {shown},")
    title_expr = title.name if title.dart_type == "String" and title.required and not title.choices \
        else display(title)
    uses_format = any(f.dart_type in ("DateTime", "double") for f in code.fields)
    return render("""
        {{imports}}

        /// Text shown for a {{label}} in lists and on its detail screen.
        extension {{name}}Display on {{name}} {
          /// The line that names the {{label}}.
          String get headline => {{title}};

          /// A short summary under the headline.
          String get summary => [
                {{parts}}
              ].join(' · ');

          /// Every field with its label, in form order.
          Map<String, String> get labelledValues => {
                {{values}}
              };
        }
        """, imports=imports(code.model_uri, f"package:{code.package}/ui/core/formatters.dart"
                             if uses_format else ""),
        label=dart_comment(code.label), name=code.name, title=title_expr,
        parts=indent("\n".join(parts), 8), values=indent("\n".join(values), 8))


def _fits(one_line: str, wrapped: str, col: int) -> str:
    """`one_line` when it fits in 80 columns after `col` characters, else `wrapped`."""
    return one_line if col + len(one_line) <= 80 else wrapped


def _enum_test(field) -> str:
    """A model test for a choice field: stored by name, unknown names tolerated, labels kept."""
    enum, members = field.enum_type, field.enum_members()
    labels = "[" + ", ".join(dart_string(c) for c in field.choices) + "]"
    labels_expect = call("expect", [f"{enum}.values.map((value) => value.label).toList()", labels],
                         4, ";")
    if "\n" in labels_expect and len(f"      {labels},") > 80:
        labels_expect = call("expect", [f"{enum}.values.map((value) => value.label).toList()",
                                        "[\n  " + ",\n  ".join(dart_string(c) for c in field.choices)
                                        + ",\n]"], 4, ";")
    name = dart_string(field.name)
    return "\n\n  " + indent(render("""
        test({{title}}, () {
          expect(item.toJson()[{{name}}], {{stored}});
          {{unknown}}
          {{labels}}
        });""", title=dart_string(f"{field.name} is stored by name and shown as written"), name=name,
        stored=dart_string(members[0]),
        unknown=indent(call("expect", [f"{enum}.fromJson('unknown')", f"{enum}.{members[0]}"], 4, ";"), 2),
        labels=indent(labels_expect, 2)), 2)

def model_test(code: EntityCode) -> str:
    """Unit test for the model: JSON round trip, copyWith and equality."""
    changed = code.title_field
    new_value = dart_string("Changed") if changed.dart_type == "String" else None
    if changed.choices:
        new_value = f"{changed.enum_type}.{changed.enum_members()[-1]}" if len(changed.choices) > 1 \
            else None
    copy_check = (f"    final changed = item.copyWith({changed.name}: {new_value});\n"
                  f"    expect(changed.{changed.name}, {new_value});\n"
                  f"    expect(changed.id, item.id);\n"
                  f"    expect(changed, isNot(item));\n") if new_value else ""
    return render("""
        {{imports}}

        void main() {
          {{sample}}

          test('survives a JSON round trip', () {
            expect({{name}}.fromJson(item.toJson()), item);
          });

          test('copyWith replaces only the given fields', () {
        {{copy_check}}    expect(item.copyWith(), item);
          });

          test('equal values have equal hash codes', () {
            {{hash_expect}}
          });{{enum_tests}}
        }
        """, imports=imports("package:flutter_test/flutter_test.dart", code.model_uri),
        enum_tests="".join(_enum_test(f) for f in code.fields if f.choices),
        sample=indent(sample_declaration(code, col=2), 2), name=code.name, copy_check=copy_check,
        hash_expect=indent(call("expect", [f"{code.name}.fromJson(item.toJson()).hashCode",
                                           "item.hashCode"], 4, ";"), 4))


def repository_test(code: EntityCode) -> str:
    """Unit test for the local repository against mocked shared preferences."""
    return render("""
        {{imports}}

        void main() {
          setUp(() => SharedPreferences.setMockInitialValues({}));

          test({{save_name}}, () async {
            final repository = Local{{repo}}();
            {{sample}}

            expect(await repository.save(item), isA<Ok<void>>());
            final found = await repository.fetchById(item.id);
            expect(found, isA<Ok<{{name}}>>());
            expect((found as Ok<{{name}}>).value, item);

            final all = await repository.fetchAll();
            expect((all as Ok<List<{{name}}>>).value, [item]);

            await repository.delete(item.id);
            final afterDelete = await repository.fetchAll();
            expect((afterDelete as Ok<List<{{name}}>>).value, isEmpty);
          });

          test({{missing_name}}, () async {
            final result{{missing_call}}
            expect(result, isA<Error<{{name}}>>());
          });
        }
        """, imports=imports("package:flutter_test/flutter_test.dart",
                             "package:shared_preferences/shared_preferences.dart",
                             code.uri("data", f"local_{code.snake}_repository"), code.model_uri,
                             f"package:{code.package}/utils/result.dart"),
        repo=code.repository, sample=indent(sample_declaration(code, col=4), 4), name=code.name,
        missing_call=_fits(f" = await Local{code.repository}().fetchById('missing');",
                           f" =\n        await Local{code.repository}().fetchById('missing');",
                           len("    final result")),
        save_name=dart_string(f"saves, finds, lists and deletes {code.plural_label.lower()}"),
        missing_name=dart_string(f"reports a missing {code.label} as an error"))


def rest_repository_test(code: EntityCode) -> str:
    """Unit test for the REST repository against http's MockClient."""
    return render("""
        {{imports}}

        void main() {
          {{sample}}

          test({{list_name}}, () async {
            final client = MockClient((request) async {
              expect(request.method, 'GET');
              expect(request.url.path, {{path_literal}});
              return http.Response(jsonEncode([item.toJson()]), 200);
            });
            final repository = Remote{{repo}}(
              apiClient: ApiClient(baseUrl: 'https://api.test', client: client),
            );

            final result = await repository.fetchAll();
            expect((result as Ok<List<{{name}}>>).value, [item]);
          });

          test('turns an HTTP error into an error result', () async {
            final client = MockClient((request) async => http.Response('nope', 500));
            final repository = Remote{{repo}}(
              apiClient: ApiClient(baseUrl: 'https://api.test', client: client),
            );

            {{missing_expect}}
          });
        }
        """, imports=imports("dart:convert", "package:flutter_test/flutter_test.dart",
                             "package:http/http.dart as http", "package:http/testing.dart",
                             f"package:{code.package}/data/services/api_client.dart",
                             code.uri("data", f"remote_{code.snake}_repository"), code.model_uri,
                             f"package:{code.package}/utils/result.dart"),
        sample=indent(sample_declaration(code, col=2), 2),
        missing_expect=indent(call("expect", ["await repository.fetchById(item.id)",
                                              f"isA<Error<{code.name}>>()"], 4, ";"), 4),
        list_name=dart_string(f"lists {code.plural_label.lower()} from GET {code.api_path}"),
        path_literal=dart_string(code.api_path), repo=code.repository, name=code.name)
