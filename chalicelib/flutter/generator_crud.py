"""CRUD screens of an entity: list, detail and form, each with its view model and widget test."""

from __future__ import annotations

import textwrap

from chalicelib.flutter.escape import dart_comment, dart_string
from chalicelib.flutter.generator_dart import (
    EntityCode,
    call,
    empty_text,
    error_and_empty,
    imports,
    indent,
    pump_widget,
    render,
    sample_declaration,
    sample_list,
    sample_text,
    test_view_model,
    vm_constructor,
)
from chalicelib.flutter.spec import EntityField, Feature, ProductSpec


def _notifies(feature: Feature) -> bool:
    return feature.kind == "reminders"


def list_view_model(code: EntityCode) -> str:
    toggle = code.toggle_field
    toggle_method = ""
    if toggle:
        save = call("_repository.save",
                    [f"item.copyWith({toggle.name}: !item.{toggle.name})"],
                    len("    final result = await "), ";")
        toggle_method = "\n\n  " + indent(render("""
            /// Flips {{label}} and saves the item.
            Future<void> toggle({{name}} item) async {
              final result = await {{save}}
              if (result is Error<void>) {
                _error = result.error;
              }
              await load();
            }""", label=dart_comment(toggle.label.lower()), name=code.name,
            save=indent(save, 2)), 2)
    return render("""
        {{imports}}

        /// State of the {{plural}} list: loading, error, items.
        class {{name}}ListViewModel extends ChangeNotifier {
          {{ctor}}

          final {{repo}} _repository;
          List<{{name}}> _items = [];
          bool _isLoading = false;
          Exception? _error;

          List<{{name}}> get items => _items;
          bool get isLoading => _isLoading;
          Exception? get error => _error;

          /// Loads every {{label}} from the repository.
          Future<void> load() async {
            _isLoading = true;
            notifyListeners();
            final result = await _repository.fetchAll();
            switch (result) {
              case Ok(:final value):
                _items = value;
                _error = null;
              case Error(:final error):
                _error = error;
            }
            _isLoading = false;
            notifyListeners();
          }{{toggle_method}}
        }
        """, imports=imports("package:flutter/foundation.dart", code.model_uri, code.repository_uri,
                             f"package:{code.package}/utils/result.dart"),
        plural=dart_comment(code.plural_label.lower()), name=code.name, repo=code.repository,
        label=dart_comment(code.label), toggle_method=toggle_method,
        ctor=indent(vm_constructor(f"{code.name}ListViewModel",
                                   [f"required {code.repository} repository"],
                                   ["_repository = repository"]), 2))


def _toggle_widget(code: EntityCode) -> str:
    toggle = code.toggle_field
    if toggle is None:
        return "const Icon(Icons.chevron_right)"
    if toggle.name == "isFavourite":
        return render("""
            IconButton(
              tooltip: item.isFavourite
                  ? 'Remove from favourites'
                  : 'Add to favourites',
              icon: Icon(item.isFavourite ? Icons.star : Icons.star_border),
              onPressed: () => viewModel.toggle(item),
            )""")
    widget = "Switch" if toggle.name == "isEnabled" else "Checkbox"
    return call(widget, [f"value: item.{toggle.name}", "onChanged: (_) => viewModel.toggle(item)"],
                len("                trailing: "), "")


def list_screen(code: EntityCode, routes: dict[str, str], icon: str) -> str:
    return render("""
        {{imports}}

        /// Every {{label}}, with a button to add one.
        class {{name}}ListScreen extends StatelessWidget {
          const {{name}}ListScreen({super.key, required this.viewModel});

          final {{name}}ListViewModel viewModel;

          @override
          Widget build(BuildContext context) {
            return Scaffold(
              appBar: AppBar(title: const Text({{title}})),
              floatingActionButton: FloatingActionButton.extended(
                onPressed: () async {
                  await context.push(Routes.{{new_route}});
                  await viewModel.load();
                },
                icon: const Icon(Icons.add),
                label: const Text('Add'),
              ),
              body: ListenableBuilder(
                listenable: viewModel,
                builder: (context, _) {
                  if (viewModel.isLoading && viewModel.items.isEmpty) {
                    return const LoadingView();
                  }
                  {{states}}
                  return ListView.separated(
                    itemCount: viewModel.items.length,
                    separatorBuilder: (context, index) => const Divider(height: 1),
                    itemBuilder: (context, index) {
                      final item = viewModel.items[index];
                      return ListTile(
                        title: Text(item.headline),
                        subtitle: Text(item.summary),
                        trailing: {{trailing}},
                        onTap: () async {
                          {{push_detail}}
                          await viewModel.load();
                        },
                      );
                    },
                  );
                },
              ),
            );
          }
        }
        """, imports=imports("package:flutter/material.dart", "package:go_router/go_router.dart",
                             code.display_uri, code.uri("ui", f"{code.snake}_list_view_model"),
                             f"package:{code.package}/routing/routes.dart",
                             f"package:{code.package}/ui/core/widgets/state_views.dart"),
        label=dart_comment(code.label), name=code.name, title=dart_string(code.plural_label),
        new_route=routes["new"],
        states=indent(error_and_empty(code.plural_label.lower(), icon, empty_text(code), 10), 10),
        trailing=indent(_toggle_widget(code), 16),
        push_detail=indent(call("await context.push",
                                [f"Routes.{routes['detail_for']}(item.id)"], 18, ";"), 18))


def detail_view_model(code: EntityCode) -> str:
    return render("""
        {{imports}}

        /// State of one {{label}}'s detail screen.
        class {{name}}DetailViewModel extends ChangeNotifier {
          {{ctor}}

          final {{repo}} _repository;
          final String id;
          {{name}}? _item;
          bool _isLoading = false;
          Exception? _error;

          {{name}}? get item => _item;
          bool get isLoading => _isLoading;
          Exception? get error => _error;

          /// Loads the {{label}} with [id].
          Future<void> load() async {
            _isLoading = true;
            notifyListeners();
            final result = await _repository.fetchById(id);
            switch (result) {
              case Ok(:final value):
                _item = value;
                _error = null;
              case Error(:final error):
                _error = error;
            }
            _isLoading = false;
            notifyListeners();
          }

          /// Deletes the {{label}}; true when it is gone.
          Future<bool> delete() async {
            final result = await _repository.delete(id);
            return result is Ok<void>;
          }
        }
        """, imports=imports("package:flutter/foundation.dart", code.model_uri, code.repository_uri,
                             f"package:{code.package}/utils/result.dart"),
        label=dart_comment(code.label), name=code.name, repo=code.repository,
        ctor=indent(vm_constructor(f"{code.name}DetailViewModel",
                                   [f"required {code.repository} repository", "required this.id"],
                                   ["_repository = repository"]), 2))


def detail_screen(code: EntityCode, routes: dict[str, str], share: bool) -> str:
    share_action = ""
    share_imports: list[str] = []
    if share:
        share_imports = [f"package:{code.package}/data/services/share_service.dart"]
        share_action = render("""
            IconButton(
              tooltip: 'Share',
              icon: const Icon(Icons.share),
              onPressed: item == null
                  ? null
                  : () => context.read<ShareService>().share(
                        '${item.headline}\\n${item.summary}',
                      ),
            ),
            """)
        share_imports.append("package:provider/provider.dart")
    return render("""
        {{imports}}

        /// One {{label}} with every field, and actions to edit or delete it.
        class {{name}}DetailScreen extends StatelessWidget {
          const {{name}}DetailScreen({super.key, required this.viewModel});

          final {{name}}DetailViewModel viewModel;

          Future<void> _confirmDelete(BuildContext context) async {
            final confirmed = await showDialog<bool>(
              context: context,
              builder: (context) => AlertDialog(
                title: const Text({{delete_title}}),
                content: const Text('This cannot be undone.'),
                actions: [
                  TextButton(
                    onPressed: () => Navigator.of(context).pop(false),
                    child: const Text('Cancel'),
                  ),
                  FilledButton(
                    onPressed: () => Navigator.of(context).pop(true),
                    child: const Text('Delete'),
                  ),
                ],
              ),
            );
            if (confirmed != true) {
              return;
            }
            final deleted = await viewModel.delete();
            if (deleted && context.mounted) {
              context.pop();
            }
          }

          @override
          Widget build(BuildContext context) {
            return ListenableBuilder(
              listenable: viewModel,
              builder: (context, _) {
                final item = viewModel.item;
                return Scaffold(
                  appBar: AppBar(
                    title: Text(item?.headline ?? {{title}}),
                    actions: [
                      {{share_action}}IconButton(
                        tooltip: 'Edit',
                        icon: const Icon(Icons.edit),
                        onPressed: item == null
                            ? null
                            : () async {
                                {{push_edit}}
                                await viewModel.load();
                              },
                      ),
                      IconButton(
                        tooltip: 'Delete',
                        icon: const Icon(Icons.delete_outline),
                        onPressed: item == null ? null : () => _confirmDelete(context),
                      ),
                    ],
                  ),
                  body: _body(item),
                );
              },
            );
          }

          Widget _body({{name}}? item) {
            if (viewModel.isLoading && item == null) {
              return const LoadingView();
            }
            if (item == null) {
              return {{error_view}}
            }
            return ListView(
              children: [
                for (final entry in item.labelledValues.entries)
                  ListTile(title: Text(entry.key), subtitle: Text(entry.value)),
              ],
            );
          }
        }
        """, imports=imports("package:flutter/material.dart", "package:go_router/go_router.dart",
                             code.model_uri, code.display_uri,
                             code.uri("ui", f"{code.snake}_detail_view_model"),
                             f"package:{code.package}/routing/routes.dart",
                             f"package:{code.package}/ui/core/widgets/state_views.dart",
                             *share_imports),
        label=dart_comment(code.label), name=code.name,
        delete_title=dart_string(f"Delete this {code.label}?"), title=dart_string(code.plural_label),
        share_action=indent(share_action, 14),
        push_edit=indent(call("await context.push", [f"Routes.{routes['edit_for']}(item.id)"],
                              24, ";"), 24),
        error_view=indent(call("ErrorView", [
            f"message: {dart_string(f'Could not load this {code.label}.')}",
            "onRetry: viewModel.load"], 13, ";"), 6))


def form_view_model(code: EntityCode, feature: Feature) -> str:
    notify = _notifies(feature)
    params = [f"required {code.repository} repository"]
    params += ["required NotificationService notifications"] if notify else []
    inits = ["_repository = repository"] + (["_notifications = notifications"] if notify else [])
    ctor = vm_constructor(f"{code.name}FormViewModel", [*params, "this.id"], inits)
    notify_field = "\n  final NotificationService _notifications;" if notify else ""
    notify_after_save = ""
    if notify:
        notify_after_save = "\n" + render("""
            if (item.isEnabled) {
              await _notifications.schedule(
                id: notificationIdFor(item.id),
                title: item.title,
                body: item.note,
                at: item.remindAt,
              );
            } else {
              await _notifications.cancel(notificationIdFor(item.id));
            }
            """)
    return render("""
        {{imports}}

        /// State of the form that creates or edits a {{label}}.
        class {{name}}FormViewModel extends ChangeNotifier {
          {{ctor}}

          final {{repo}} _repository;{{notify_field}}

          /// The id being edited, or null for a new {{label}}.
          final String? id;
          {{name}}? _existing;
          bool _isLoading = false;
          bool _isSaving = false;
          Exception? _error;

          {{name}}? get existing => _existing;
          bool get isLoading => _isLoading;
          bool get isSaving => _isSaving;
          Exception? get error => _error;

          /// Loads the {{label}} being edited, if any.
          Future<void> load() async {
            final id = this.id;
            if (id == null) {
              return;
            }
            _isLoading = true;
            notifyListeners();
            final result = await _repository.fetchById(id);
            switch (result) {
              case Ok(:final value):
                _existing = value;
                _error = null;
              case Error(:final error):
                _error = error;
            }
            _isLoading = false;
            notifyListeners();
          }

          /// The id for a new {{label}}.
          String newId() => DateTime.now().microsecondsSinceEpoch.toString();

          /// Saves the {{label}}; true on success.
          Future<bool> save({{name}} item) async {
            _isSaving = true;
            notifyListeners();
            final result = await _repository.save(item);
            _isSaving = false;
            switch (result) {
              case Ok():
                _error = null;{{notify_after_save}}
              case Error(:final error):
                _error = error;
            }
            notifyListeners();
            return result is Ok<void>;
          }
        }
        """, imports=imports("package:flutter/foundation.dart", code.model_uri, code.repository_uri,
                             f"package:{code.package}/utils/result.dart",
                             f"package:{code.package}/data/services/notification_service.dart"
                             if notify else ""),
        label=dart_comment(code.label), name=code.name, repo=code.repository,
        ctor=indent(ctor, 2), notify_field=notify_field,
        notify_after_save=indent(notify_after_save.rstrip(), 8))


def _fits_expr(one_line: str, wrapped: str, col: int) -> str:
    """`one_line` when it fits in 80 columns after `col` characters, else `wrapped`."""
    return one_line if col + len(one_line) <= 80 else wrapped


def _bool_default(field: EntityField) -> str:
    """A new reminder is on (a switched-off one would silently never fire); other flags are off."""
    return "true" if field.name == "isEnabled" else "false"


def _state_var(field: EntityField) -> str:
    return f"_{field.name}"


def required_message(field: EntityField) -> str:
    """What the form says when a required field is left empty."""
    if field.choices:
        return "Choose the " + field.label.lower()
    if field.dart_type == "DateTime":
        return date_required_message(field)
    return "Enter the " + field.label.lower()


def _choices_var(field: EntityField) -> str:
    return f"_{field.name}Choices"


def _choices_declaration(field: EntityField) -> str:
    """The form state's list of a choice field's values (keeps the dropdown within 80 columns)."""
    return _fits_expr(f"static const {_choices_var(field)} = {field.enum_type}.values;",
                      f"static const {_choices_var(field)} =\n    {field.enum_type}.values;", 2)


def _choice_field(field: EntityField) -> str:
    """A dropdown over the field's enum, inside a FormField so it validates and saves like the rest."""
    validator = ""
    if field.required:
        check = f"value == null ? {dart_string(required_message(field))} : null,"
        validator = _fits_expr(f"\n  validator: (value) => {check}",
                               f"\n  validator: (value) =>\n      {check}", 18)
    return render("""
        FormField<{{enum}}>(
          initialValue: initial?.{{name}},{{validator}}
          onSaved: (value) => {{var}} = value,
          builder: (field) => InputDecorator(
            decoration: InputDecoration(
              labelText: {{label}},
              errorText: field.errorText,
            ),
            child: DropdownButtonHideUnderline(
              child: DropdownButton<{{enum}}>(
                value: field.value,
                isDense: true,
                isExpanded: true,
                hint: const Text('Choose'),
                items: [
                  for (final value in {{choices}})
                    DropdownMenuItem(
                      value: value,
                      child: Text(value.label),
                    ),
                ],
                onChanged: field.didChange,
              ),
            ),
          ),
        ),""", enum=field.enum_type, name=field.name, validator=validator, var=_state_var(field),
        choices=_choices_var(field),
        label=dart_string(field.label))


def date_required_message(field: EntityField) -> str:
    """The validation message of a required date field."""
    return "Choose a date and time" if field.with_time else "Choose a date"


# Upper bounds of free text, by field name: long notes get more room than names and titles.
_LONG_TEXT = ("note", "notes", "description", "allergies", "medications", "conditions", "link")
_NUMBER_RANGES = {"latitude": ("-90", "90"), "longitude": ("-180", "180")}
_EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
_PHONE_PATTERN = r"^\+?[0-9 ().-]{6,20}$"


def max_length(field: EntityField) -> int:
    """The longest text a form accepts for a String field."""
    return 500 if field.name in _LONG_TEXT else 100


def number_range(field: EntityField) -> tuple[str, str]:
    """The inclusive range a number field accepts, as Dart literals."""
    if field.name in _NUMBER_RANGES:
        return _NUMBER_RANGES[field.name]
    return ("0", "10000") if field.dart_type == "int" else ("0", "1000000000")


def _block(condition: str, message: str) -> str:
    return f"if ({condition}) {{\n  return {dart_string(message)};\n}}"


def text_checks(field: EntityField) -> list[str]:
    """Dart statements validating `text` (the trimmed input) for one text or number field.

    Required fields must not be empty, optional ones may be; text is bounded in length, numbers
    must parse (and be finite) and lie in range, emails, phones and links must look like one.
    """
    checks = []
    if field.required:
        checks.append(_block("text.isEmpty", "Enter the " + field.label.lower()))
    else:
        checks.append("if (text.isEmpty) {\n  return null;\n}")
    if field.dart_type in ("int", "double"):
        low, high = number_range(field)
        parse = "int.tryParse" if field.dart_type == "int" else "double.tryParse"
        finite = "" if field.dart_type == "int" else " || !number.isFinite"
        kind = "a whole number" if field.dart_type == "int" else "a number"
        checks += [f"final number = {parse}(text);", _block(f"number == null{finite}", "Enter " + kind),
                   _block(f"number < {low} || number > {high}", f"Enter a number from {low} to {high}")]
        return checks
    limit = max_length(field)
    checks.append(_block(f"text.length > {limit}", f"Use at most {limit} characters"))
    name = field.name.lower()
    if "email" in name:
        checks += [f"final email = RegExp(r'{_EMAIL_PATTERN}');",
                   _block("!email.hasMatch(text)", "Enter a valid email")]
    elif "phone" in name:
        checks += [f"final phone = RegExp(r'{_PHONE_PATTERN}');",
                   _block("!phone.hasMatch(text)", "Enter a valid phone number")]
    elif name in ("link", "url", "website"):
        checks += ["final uri = Uri.tryParse(text);",
                   _block("uri == null || !uri.hasScheme || uri.host.isEmpty",
                          "Enter a full web address (https://...)")]
    return checks



def _text_keyboard(field: EntityField) -> str:
    """The keyboard a text field wants: email, phone and link fields get their own."""
    name = field.name.lower()
    if "email" in name:
        return "TextInputType.emailAddress"
    if "phone" in name:
        return "TextInputType.phone"
    return "TextInputType.url" if name in ("link", "url", "website") else ""

def _form_field(field: EntityField) -> str:
    """One form control bound to the draft value `_<name>` via onSaved."""
    label = dart_string(field.label)
    var = _state_var(field)
    initial = f"initial?.{field.name}"
    if field.dart_type == "bool":
        return render("""
            FormField<bool>(
              initialValue: {{initial}} ?? {{default}},
              onSaved: (value) => {{var}} = value ?? {{default}},
              builder: (field) => SwitchListTile(
                contentPadding: EdgeInsets.zero,
                title: const Text({{label}}),
                value: field.value ?? false,
                onChanged: field.didChange,
              ),
            ),""", initial=initial, var=var, label=label, default=_bool_default(field))
    if field.choices:
        return _choice_field(field)
    if field.dart_type == "DateTime":
        validator = ""
        if field.required:
            message = dart_string(date_required_message(field))
            check = f"value == null ? {message} : null,"
            validator = (f"\n  validator: (value) => {check}" if 20 + 24 + len(check) <= 80
                         else f"\n  validator: (value) =>\n      {check}")
        fmt = "formatDateTime" if field.with_time else "formatDate"
        with_time = "\n        withTime: true," if field.with_time else ""
        return render("""
            FormField<DateTime>(
              initialValue: {{initial}},{{validator}}
              onSaved: (value) => {{var}} = value,
              builder: (field) => InkWell(
                onTap: () async {
                  final picked = await pickDate(
                    context,
                    initial: field.value,{{with_time}}
                  );
                  if (picked != null) {
                    field.didChange(picked);
                  }
                },
                child: InputDecorator(
                  decoration: InputDecoration(
                    labelText: {{label}},
                    errorText: field.errorText,
                    suffixIcon: const Icon(Icons.event),
                  ),
                  child: Text(
                    field.value == null
                        ? 'Not set'
                        : {{fmt}}(field.value!),
                  ),
                ),
              ),
            ),""", initial=initial, validator=validator, var=var, label=label, fmt=fmt,
            with_time=with_time)
    number = field.dart_type in ("int", "double")
    checks = text_checks(field)
    validator = ("\n  validator: (value) {\n    final text = value?.trim() ?? '';\n"
                 + "\n".join(textwrap.indent(check, "    ") for check in checks)
                 + "\n    return null;\n  },")
    if number:
        conv = f"{field.dart_type}.parse(text)"
        saved = f"{conv}" if field.required else f"text.isEmpty ? null : {conv}"
        initial_text = f"{initial}.toString()" if field.required else f"{initial}?.toString()"
    else:
        saved = "text" if field.required else "text.isEmpty ? null : text"
        initial_text = initial
    keyboard = {"int": "TextInputType.number",
                "double": "const TextInputType.numberWithOptions(\n    "
                          + ("signed: true,\n    " if number_range(field)[0].startswith("-") else "")
                          + "decimal: true,\n  )"}.get(
        field.dart_type, _text_keyboard(field))
    keyboard_line = f"\n  keyboardType: {keyboard}," if keyboard else ""
    return render("""
        TextFormField(
          initialValue: {{initial}},
          {{decoration}}{{keyboard}}
          textInputAction: TextInputAction.next,{{validator}}
          onSaved: (value) {
            final text = value?.trim() ?? '';
            {{var}} = {{saved}};
          },
        ),""", initial=initial_text, keyboard=keyboard_line,
        decoration=indent(call("decoration: const InputDecoration", [f"labelText: {label}"],
                               20, ","), 2),
        validator=validator, var=var, saved=saved)


def form_screen(code: EntityCode) -> str:
    fields = code.fields
    declarations = []
    for f in fields:
        if f.dart_type == "bool":
            declarations.append(f"bool {_state_var(f)} = {_bool_default(f)};")
        elif f.choices:
            declarations.append(f"{f.enum_type}? {_state_var(f)};")
            declarations.insert(0, _choices_declaration(f))
        elif f.dart_type == "String" and f.required:
            declarations.append(f"String {_state_var(f)} = '';")
        else:
            declarations.append(f"{f.dart_type}? {_state_var(f)};")
    args = []
    for f in fields:
        needs_bang = f.required and (f.dart_type in ("int", "double", "DateTime") or bool(f.choices))
        args.append(f"{f.name}: {_state_var(f)}{'!' if needs_bang else ''},")
    controls = "\nconst SizedBox(height: 12),\n".join(_form_field(f) for f in fields)
    uses_dates = any(f.dart_type == "DateTime" for f in fields)
    uses_format = uses_dates
    new_title, edit_title = dart_string(f"New {code.label}"), dart_string(f"Edit {code.label}")
    return render("""
        {{imports}}

        /// Creates a {{label}}, or edits one when the view model has an id.
        class {{name}}FormScreen extends StatefulWidget {
          const {{name}}FormScreen({super.key, required this.viewModel});

          final {{name}}FormViewModel viewModel;

          @override
          {{create_state}}
        }

        {{state_class}}
          final _formKey = GlobalKey<FormState>();
          {{declarations}}

          Future<void> _save() async {
            final form = _formKey.currentState;
            if (form == null || !form.validate()) {
              return;
            }
            form.save();
            final viewModel = widget.viewModel;
            final item = {{name}}(
              id: viewModel.existing?.id ?? viewModel.newId(),
              {{args}}
            );
            final saved = await viewModel.save(item);
            if (!mounted) {
              return;
            }
            if (saved) {
              context.pop();
            } else {
              ScaffoldMessenger.of(context).showSnackBar(
                const SnackBar(
                  content: Text('Could not save. Please try again.'),
                ),
              );
            }
          }

          @override
          Widget build(BuildContext context) {
            final viewModel = widget.viewModel;
            return Scaffold(
              appBar: AppBar(
                title: {{title}},
              ),
              body: ListenableBuilder(
                listenable: viewModel,
                builder: (context, _) {
                  if (viewModel.isLoading) {
                    return const LoadingView();
                  }
                  final initial = viewModel.existing;
                  return Form(
                    key: _formKey,
                    child: SingleChildScrollView(
                      padding: const EdgeInsets.all(16),
                      child: Column(
                        crossAxisAlignment: CrossAxisAlignment.stretch,
                        children: [
                          {{controls}}
                          const SizedBox(height: 24),
                          FilledButton.icon(
                            onPressed: viewModel.isSaving ? null : _save,
                            icon: const Icon(Icons.save),
                            label: const Text('Save'),
                          ),
                        ],
                      ),
                    ),
                  );
                },
              ),
            );
          }
        }
        """, imports=imports("package:flutter/material.dart", "package:go_router/go_router.dart",
                             code.model_uri, code.uri("ui", f"{code.snake}_form_view_model"),
                             f"package:{code.package}/ui/core/widgets/state_views.dart",
                             f"package:{code.package}/ui/core/pick_date.dart" if uses_dates else "",
                             f"package:{code.package}/ui/core/formatters.dart" if uses_format
                             else ""),
        label=dart_comment(code.label), name=code.name,
        declarations=indent("\n".join(declarations), 2), args=indent("\n".join(args), 6),
        title=indent(_fits_expr(f"Text(viewModel.id == null ? {new_title} : {edit_title})",
                                f"Text(\n  viewModel.id == null ? {new_title} : {edit_title},\n)",
                                len("        title: ") + 1), 8),
        controls=indent(controls, 18), create_state=indent(_fits_expr(
            f"State<{code.name}FormScreen> createState() => _{code.name}FormScreenState();",
            f"State<{code.name}FormScreen> createState() =>\n    _{code.name}FormScreenState();",
            2), 2),
        state_class=_fits_expr(
            f"class _{code.name}FormScreenState extends State<{code.name}FormScreen> {{",
            f"class _{code.name}FormScreenState\n    extends State<{code.name}FormScreen> {{", 0))


def widget_tests(code: EntityCode, feature: Feature, spec: ProductSpec) -> dict[str, str]:
    """Widget tests for the list, detail and form screens, pumped with the in-memory fake."""
    folder = f"test/{feature.id}"
    fake_import = f"../fakes/in_memory_{code.snake}_repository.dart"
    notify = _notifies(feature)
    notify_import = "../fakes/fake_notification_service.dart" if notify else ""
    first_required = next((f for f in code.fields if f.required and f.dart_type != "bool"), None)
    validation_check = ""
    if first_required is not None:
        message = required_message(first_required)
        validation_check = "\n    " + call("expect", [f"find.text({dart_string(message)})",
                                                      "findsOneWidget"], 4, ";")
    sample_title = next((f for f in code.fields if f is code.title_field), None)
    title_literal = sample_text(sample_title) if sample_title else None
    shows_title = f"expect(find.text({title_literal}), findsWidgets);" if title_literal else \
        "expect(find.byType(ListTile), findsWidgets);"
    empty_expect = call("expect", [f"find.text({dart_string(empty_text(code))})", "findsOneWidget"],
                        4, ";")
    list_vm = f"{code.name}ListViewModel"
    items_col = 6 + len(f"repository: {code.fake}(")
    filled = test_view_model(
        list_vm, [f"repository: {code.fake}(" + sample_list(code, items_col, ")")])
    files = {}
    files[f"{folder}/{code.snake}_list_screen_test.dart"] = render("""
        {{imports}}

        void main() {
          testWidgets('shows saved items', (tester) async {
            {{filled}}
            await viewModel.load();
            {{pump}}
            await tester.pump();

            {{shows_title}}
          });

          testWidgets('shows the empty state without items', (tester) async {
            {{empty_vm}}
            await viewModel.load();
            {{pump}}
            await tester.pump();

            {{empty_expect}}
          });
        }
        """, imports=imports("package:flutter/material.dart",
                             "package:flutter_test/flutter_test.dart", code.model_uri,
                             code.uri("ui", f"{code.snake}_list_screen"),
                             code.uri("ui", f"{code.snake}_list_view_model"), fake_import),
        filled=indent(filled, 4), shows_title=shows_title, empty_expect=indent(empty_expect, 4),
        pump=indent(pump_widget(f"{code.name}ListScreen(viewModel: viewModel)"), 4),
        empty_vm=indent(test_view_model(list_vm, [f"repository: {code.fake}()"]), 4))
    files[f"{folder}/{code.snake}_detail_screen_test.dart"] = render("""
        {{imports}}

        void main() {
          testWidgets('shows every field of the item', (tester) async {
            {{sample}}
            final viewModel = {{name}}DetailViewModel(
              repository: {{fake}}([item]),
              id: item.id,
            );
            await viewModel.load();
            {{pump}}
            await tester.pump();

            {{shows_title}}
            expect(find.byTooltip('Edit'), findsOneWidget);
            expect(find.byTooltip('Delete'), findsOneWidget);
          });
        }
        """, imports=imports("package:flutter/material.dart",
                             "package:flutter_test/flutter_test.dart", code.model_uri,
                             code.uri("ui", f"{code.snake}_detail_screen"),
                             code.uri("ui", f"{code.snake}_detail_view_model"), fake_import),
        name=code.name, fake=code.fake, sample=indent(sample_declaration(code, col=4), 4),
        shows_title=shows_title,
        pump=indent(pump_widget(f"{code.name}DetailScreen(viewModel: viewModel)"), 4))
    form_args = ["repository: repository"] + (["notifications: FakeNotificationService()"]
                                              if notify else [])
    files[f"{folder}/{code.snake}_form_screen_test.dart"] = render("""
        {{imports}}

        void main() {
          testWidgets('refuses to save an empty form', (tester) async {
            final repository = {{fake}}();
            {{form_vm}}
            {{pump}}

            await tester.ensureVisible(find.text('Save'));
            await tester.tap(find.text('Save'));
            await tester.pump();
        {{validation_check}}
            final saved = await repository.fetchAll();
            expect(saved, isA<Ok<List<{{name}}>>>());
            expect((saved as Ok<List<{{name}}>>).value, isEmpty);
          });
        }
        """, imports=imports("package:flutter/material.dart",
                             "package:flutter_test/flutter_test.dart", code.model_uri,
                             code.uri("ui", f"{code.snake}_form_screen"),
                             code.uri("ui", f"{code.snake}_form_view_model"),
                             f"package:{spec.package_name}/utils/result.dart", fake_import,
                             notify_import),
        name=code.name, fake=code.fake,
        form_vm=indent(test_view_model(f"{code.name}FormViewModel", form_args), 4),
        pump=indent(pump_widget(f"{code.name}FormScreen(viewModel: viewModel)"), 4),
        validation_check=validation_check)
    return files
