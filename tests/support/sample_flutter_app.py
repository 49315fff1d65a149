"""A small hand-written Flutter project (compass_app layout, go_router, provider) the checks run against."""

from __future__ import annotations

PUBSPEC = """\
name: shelf_notes
description: "Notes: keep track of your shelf."
publish_to: none
version: 1.0.0+1

environment:
  sdk: ^3.4.0

dependencies:
  flutter:
    sdk: flutter
  go_router: ^14.2.0
  provider: ^6.1.2

dev_dependencies:
  flutter_test:
    sdk: flutter
  flutter_lints: ^4.0.0

flutter:
  uses-material-design: true
"""

MAIN = """\
import 'package:flutter/material.dart';

import 'app.dart';

void main() {
  runApp(const ShelfNotesApp());
}
"""

APP = """\
import 'package:flutter/material.dart';
import 'package:provider/provider.dart';

import 'features/notes/data/note_repository.dart';
import 'routing/router.dart';

class ShelfNotesApp extends StatelessWidget {
  const ShelfNotesApp({super.key});

  @override
  Widget build(BuildContext context) {
    return Provider<NoteRepository>(
      create: (_) => InMemoryNoteRepository(),
      child: MaterialApp.router(
        title: 'Shelf Notes',
        theme: ThemeData(colorSchemeSeed: Colors.teal, useMaterial3: true),
        routerConfig: appRouter,
      ),
    );
  }
}
"""

ROUTES = """\
abstract final class AppRoutes {
  static const String notes = '/';
  static const String settings = '/settings';
}
"""

ROUTER = """\
import 'package:go_router/go_router.dart';

import '../features/notes/ui/note_detail_screen.dart';
import '../features/notes/ui/note_list_screen.dart';
import '../features/settings/ui/settings_screen.dart';
import 'routes.dart';

final appRouter = GoRouter(
  initialLocation: AppRoutes.notes,
  routes: [
    GoRoute(
      path: AppRoutes.notes,
      builder: (context, state) => const NoteListScreen(),
      routes: [
        GoRoute(
          path: 'notes/:id',
          builder: (context, state) => NoteDetailScreen(noteId: state.pathParameters['id']!),
        ),
      ],
    ),
    GoRoute(
      path: AppRoutes.settings,
      builder: (context, state) => const SettingsScreen(),
    ),
  ],
);
"""

NOTE = """\
class Note {
  const Note({required this.id, required this.title});

  final String id;
  final String title;
}
"""

REPOSITORY = """\
import '../domain/note.dart';

abstract interface class NoteRepository {
  Future<List<Note>> all();
}

class InMemoryNoteRepository implements NoteRepository {
  final List<Note> _notes = [const Note(id: '1', title: 'First shelf')];

  @override
  Future<List<Note>> all() async => List.unmodifiable(_notes);
}
"""

LIST_SCREEN = """\
import 'package:flutter/material.dart';
import 'package:go_router/go_router.dart';

import '../../../routing/routes.dart';

class NoteListScreen extends StatelessWidget {
  const NoteListScreen({super.key});

  @override
  Widget build(BuildContext context) {
    return Scaffold(
      appBar: AppBar(
        title: const Text('Notes'),
        actions: [
          IconButton(
            icon: const Icon(Icons.settings),
            onPressed: () => context.push(AppRoutes.settings),
          ),
        ],
      ),
      body: ListTile(
        title: const Text('First shelf'),
        onTap: () => context.go('/notes/${'1'}'),
      ),
    );
  }
}
"""

DETAIL_SCREEN = """\
import 'package:flutter/material.dart';

class NoteDetailScreen extends StatelessWidget {
  const NoteDetailScreen({super.key, required this.noteId});

  final String noteId;

  @override
  Widget build(BuildContext context) {
    return Scaffold(
      appBar: AppBar(title: const Text('Note')),
      body: Center(child: Text('Note $noteId')),
    );
  }
}
"""

SETTINGS_SCREEN = """\
import 'package:flutter/material.dart';

class SettingsScreen extends StatelessWidget {
  const SettingsScreen({super.key});

  @override
  Widget build(BuildContext context) {
    return Scaffold(
      appBar: AppBar(title: const Text('Settings')),
      body: const Center(child: Text('Settings')),
    );
  }
}
"""


def _screen_test(widget: str, import_path: str, construct: str) -> str:
    """A widget test that pumps one screen."""
    return f"""\
import 'package:flutter/material.dart';
import 'package:flutter_test/flutter_test.dart';
import 'package:shelf_notes/{import_path}';

void main() {{
  testWidgets('{widget} shows its title', (tester) async {{
    await tester.pumpWidget(MaterialApp(home: {construct}));
    expect(find.byType({widget}), findsOneWidget);
  }});
}}
"""


README = """\
# Shelf Notes

Keep track of your shelf. Run `flutter create . --platforms=android,ios` first, then `flutter run`.
"""


def sample_project() -> dict[str, str]:
    """The project's files by path relative to source/: a clean app every check should pass."""
    return {
        "pubspec.yaml": PUBSPEC,
        "README.md": README,
        "lib/main.dart": MAIN,
        "lib/app.dart": APP,
        "lib/routing/routes.dart": ROUTES,
        "lib/routing/router.dart": ROUTER,
        "lib/features/notes/domain/note.dart": NOTE,
        "lib/features/notes/data/note_repository.dart": REPOSITORY,
        "lib/features/notes/ui/note_list_screen.dart": LIST_SCREEN,
        "lib/features/notes/ui/note_detail_screen.dart": DETAIL_SCREEN,
        "lib/features/settings/ui/settings_screen.dart": SETTINGS_SCREEN,
        "test/features/notes/ui/note_list_screen_test.dart": _screen_test(
            "NoteListScreen", "features/notes/ui/note_list_screen.dart", "const NoteListScreen()"),
        "test/features/notes/ui/note_detail_screen_test.dart": _screen_test(
            "NoteDetailScreen", "features/notes/ui/note_detail_screen.dart", "const NoteDetailScreen(noteId: '1')"),
        "test/features/settings/ui/settings_screen_test.dart": _screen_test(
            "SettingsScreen", "features/settings/ui/settings_screen.dart", "const SettingsScreen()"),
    }


def sample_spec() -> dict:
    """The product spec (as stored in docs/product_spec.json) that the sample project implements."""
    return {
        "app_name": "Shelf Notes",
        "package_name": "shelf_notes",
        "description": "Keep track of your shelf.",
        "platforms": ["android", "ios"],
        "style": "modern",
        "seed_color": "#009688",
        "backend": "none",
        "entities": [{"name": "Note", "plural_label": "Notes", "collection": "notes",
                      "fields": [{"name": "title", "dart_type": "String", "label": "Title"}]}],
        "features": [
            {"id": "notes", "kind": "crud", "title": "Notes", "entity": "Note", "source": "notes",
             "summary": "List and read notes."},
            {"id": "settings", "kind": "settings", "title": "Settings", "source": "settings",
             "summary": "App settings."},
        ],
        "screens": [
            {"name": "note_list", "feature": "notes", "kind": "list", "title": "Notes", "route": "/",
             "widget": "NoteListScreen", "file": "lib/features/notes/ui/note_list_screen.dart", "is_home": True},
            {"name": "note_detail", "feature": "notes", "kind": "detail", "title": "Note", "route": "/notes/:id",
             "widget": "NoteDetailScreen", "file": "lib/features/notes/ui/note_detail_screen.dart",
             "route_params": ["id"]},
            {"name": "settings", "feature": "settings", "kind": "settings", "title": "Settings",
             "route": "/settings", "widget": "SettingsScreen",
             "file": "lib/features/settings/ui/settings_screen.dart"},
        ],
        "user_stories": [],
        "navigation": {"initial_route": "/", "destinations": [
            {"label": "Settings", "route": "/settings", "icon": "settings", "feature": "settings"}]},
        "non_functional": [],
    }
