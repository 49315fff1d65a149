"""generate_project: a complete, deterministic Flutter project (paths relative to source/)."""

from __future__ import annotations

import re

from chalicelib.flutter import generator_app as app
from chalicelib.flutter import generator_crud as crud
from chalicelib.flutter import generator_entity as entity
from chalicelib.flutter.escape import dart_string, markdown_text, yaml_string
from chalicelib.flutter.generator_dart import (
    EntityCode,
    entity_codes,
    imports,
    indent,
    render,
    route_const,
    route_helper,
)
from chalicelib.flutter.generator_views import collection_view, static_view
from chalicelib.flutter.spec import ProductSpec, Screen

PACKAGE_VERSIONS = {
    "go_router": "^14.2.7",
    "provider": "^6.1.2",
    "shared_preferences": "^2.3.2",
    "intl": "^0.19.0",
    "http": "^1.2.2",
    "fl_chart": "^0.69.0",
    "flutter_local_notifications": "^17.2.3",
    "timezone": "^0.9.4",
    "table_calendar": "^3.1.2",
    "share_plus": "^10.0.2",
    "firebase_core": "^3.6.0",
    "cloud_firestore": "^5.4.4",
    "firebase_auth": "^5.3.1",
    "supabase_flutter": "^2.6.0",
    "flutter_map": "^7.0.2",
    "latlong2": "^0.9.1",
}
DEV_PACKAGE_VERSIONS = {"flutter_lints": "^4.0.0"}

ANALYSIS_OPTIONS = """include: package:flutter_lints/flutter.yaml

linter:
  rules:
    - prefer_single_quotes
    - always_declare_return_types
"""


def dependencies_of(spec: ProductSpec) -> dict[str, str]:
    """The pub.dev packages the project uses, with caret constraints."""
    kinds = {f.kind for f in spec.features}
    names = ["go_router", "provider", "shared_preferences", "intl"]
    names += {"rest": ["http"], "firebase": ["firebase_core", "cloud_firestore"],
              "supabase": ["supabase_flutter"], "none": []}[spec.backend]
    if "auth" in kinds and spec.backend == "firebase":
        names.append("firebase_auth")
    if "charts" in kinds:
        names.append("fl_chart")
    if "reminders" in kinds:
        names += ["flutter_local_notifications", "timezone"]
    if "calendar" in kinds:
        names.append("table_calendar")
    if "sharing" in kinds:
        names.append("share_plus")
    if "map" in kinds:
        names += ["flutter_map", "latlong2"]
    return {name: PACKAGE_VERSIONS[name] for name in names}


def pubspec(spec: ProductSpec) -> str:
    deps = "\n".join(f"  {name}: {version}" for name, version in dependencies_of(spec).items())
    dev = "\n".join(f"  {name}: {version}" for name, version in DEV_PACKAGE_VERSIONS.items())
    return (f"name: {spec.package_name}\n"
            f"description: {yaml_string(spec.description or spec.app_name)}\n"
            "publish_to: none\nversion: 1.0.0+1\n\n"
            "environment:\n  sdk: ^3.4.0\n\n"
            f"dependencies:\n  flutter:\n    sdk: flutter\n{deps}\n\n"
            f"dev_dependencies:\n  flutter_test:\n    sdk: flutter\n{dev}\n\n"
            "flutter:\n  uses-material-design: true\n")


def _routes(spec: ProductSpec) -> str:
    lines = []
    for screen in _unique_routes(spec.screens):
        lines.append(f"  static const {route_const(screen)} = {dart_string(screen.route)};")
        if screen.route_params:
            params = ", ".join(f"String {p}" for p in screen.route_params)
            path = screen.route
            for p in screen.route_params:
                path = path.replace(f":{p}", "\x00" + p)
            literal = dart_string(path).replace("\x00", "$").replace("\\u{0}", "$")
            helper = f"  static String {route_helper(screen)}({params}) =>"
            lines.append(f"{helper} {literal};" if len(helper) + len(literal) + 2 <= 80
                         else f"{helper}\n      {literal};")
    return ("/// Every route path of the app; screens navigate with these, never with\n"
            "/// literals.\n"
            "abstract final class Routes {\n" + "\n".join(lines) + "\n}\n")


def _unique_routes(screens: list[Screen]) -> list[Screen]:
    seen, out = set(), []
    for screen in screens:
        if screen.route not in seen:
            seen.add(screen.route)
            out.append(screen)
    return out


def _crud_routes(code: EntityCode, spec: ProductSpec) -> dict[str, str]:
    """Route member names of an entity's CRUD screens, for navigation calls."""
    screens = {s.name: s for s in spec.screens}
    feature = next((f for f in spec.features if f.entity == code.name and
                    f.kind in ("crud", "reminders")), None)
    if feature is None:
        return {}
    return {"new": route_const(screens[f"{code.name}New"]),
            "detail_for": route_helper(screens[f"{code.name}Detail"]),
            "edit_for": route_helper(screens[f"{code.name}Edit"])}


def generate_project(spec: ProductSpec) -> dict[str, str]:
    """Every file of the Flutter project, keyed by path relative to source/."""
    pkg = spec.package_name
    codes = entity_codes(spec)
    kinds = {f.kind for f in spec.features}
    auth_feature = next((f.id for f in spec.features if f.kind == "auth"), None)
    has_auth, has_notify, has_share = auth_feature is not None, "reminders" in kinds, "sharing" in kinds
    shared_entity = {f.entity for f in spec.features if f.kind == "sharing"}
    files: dict[str, str] = {
        "pubspec.yaml": pubspec(spec),
        "analysis_options.yaml": ANALYSIS_OPTIONS,
        "lib/main.dart": app.main_dart(spec),
        "lib/app.dart": app.app_shell(spec, has_auth),
        "lib/config/app_config.dart": app.app_config(spec),
        "lib/ui/core/theme.dart": app.theme(spec),
        "lib/ui/core/widgets/state_views.dart": app.STATE_VIEWS,
        "lib/ui/core/formatters.dart": app.FORMATTERS,
        "lib/utils/result.dart": app.RESULT,
        "lib/routing/routes.dart": _routes(spec),
        "test/ui/home_screen_test.dart": app.home_test(spec),
        "test/widget_test.dart": app.smoke_test(spec),
    }
    if any(f.dart_type == "DateTime" for c in codes.values() for f in c.fields):
        files["lib/ui/core/pick_date.dart"] = app.PICK_DATE
    if has_notify:
        files["lib/data/services/notification_service.dart"] = app.NOTIFICATION_SERVICE
        files["test/fakes/fake_notification_service.dart"] = render(app.FAKE_NOTIFICATIONS,
                                                                    package=pkg)
    if has_share:
        files["lib/data/services/share_service.dart"] = app.SHARE_SERVICE
    if spec.backend == "rest":
        files["lib/data/services/api_client.dart"] = render(app.API_CLIENT, package=pkg)
    if auth_feature:
        files.update(app.auth_files(spec, auth_feature))

    for code in codes.values():
        files[code.lib("domain", code.snake)] = entity.model(code)
        files[code.lib("data", f"{code.snake}_repository")] = entity.repository_interface(code)
        files[code.lib("data", f"local_{code.snake}_repository")] = entity.local_repository(code)
        if spec.backend != "none":
            files[code.lib("data", f"remote_{code.snake}_repository")] = entity.remote_repository(
                code, spec.backend)
        files[code.lib("ui", f"{code.snake}_display")] = entity.display_extension(code)
        files[code.fake_file] = entity.fake_repository(code)
        files[f"test/{code.owner.id}/{code.snake}_test.dart"] = entity.model_test(code)
        files[f"test/{code.owner.id}/local_{code.snake}_repository_test.dart"] = \
            entity.repository_test(code)
        if spec.backend == "rest":
            files[f"test/{code.owner.id}/remote_{code.snake}_repository_test.dart"] = \
                entity.rest_repository_test(code)

    route_builders: list[tuple[Screen, str]] = []
    router_uris: list[str] = []
    for feature in spec.features:
        screens = spec.screens_of(feature.id)
        if feature.kind in ("crud", "reminders"):
            code = codes[feature.entity or ""]
            routes = _crud_routes(code, spec)
            files[code.lib("ui", f"{code.snake}_list_view_model")] = crud.list_view_model(code)
            icon = next(d.icon for d in spec.navigation.destinations if d.feature == feature.id)
            files[code.lib("ui", f"{code.snake}_list_screen")] = crud.list_screen(code, routes, icon)
            files[code.lib("ui", f"{code.snake}_detail_view_model")] = crud.detail_view_model(code)
            files[code.lib("ui", f"{code.snake}_detail_screen")] = crud.detail_screen(
                code, routes, code.name in shared_entity)
            files[code.lib("ui", f"{code.snake}_form_view_model")] = crud.form_view_model(code, feature)
            files[code.lib("ui", f"{code.snake}_form_screen")] = crud.form_screen(code)
            files.update(crud.widget_tests(code, feature, spec))
            notify = ", notifications: context.read()" if feature.kind == "reminders" else ""
            for screen in screens:
                vm = screen.widget.replace("Screen", "ViewModel")
                if screen.kind == "list":
                    built = f"{screen.widget}(viewModel: {vm}(repository: context.read())..load())"
                elif screen.kind == "detail":
                    built = (f"{screen.widget}(\n  viewModel: {vm}(\n    repository: context.read(),\n"
                             "    id: state.pathParameters['id']!,\n  )..load(),\n)")
                elif screen.route_params:
                    notify_line = "\n    notifications: context.read()," if notify else ""
                    built = (f"{screen.widget}(\n  viewModel: {vm}(\n    repository: context.read(),"
                             f"{notify_line}\n    id: state.pathParameters['id'],\n  )..load(),\n)")
                else:
                    built = f"{screen.widget}(viewModel: {vm}(repository: context.read(){notify}))"
                route_builders.append((screen, built))
                router_uris += [f"package:{pkg}/{screen.file[4:]}",
                                f"package:{pkg}/{screen.file[4:].replace('_screen.dart', '_view_model.dart')}"]
        elif feature.kind == "auth":
            screen = screens[0]
            route_builders.append((screen, "SignInScreen(\n  viewModel: SignInViewModel("
                                           "authRepository: authRepository),\n)"))
            router_uris += [f"package:{pkg}/features/{feature.id}/ui/sign_in_screen.dart",
                            f"package:{pkg}/features/{feature.id}/ui/sign_in_view_model.dart"]
        else:
            for screen in screens:
                if feature.entity is None:
                    view = static_view(spec, feature, screen)
                else:
                    code = codes[feature.entity]
                    view = collection_view(spec, feature, screen, code, _crud_routes(code, spec))
                files.update(view.files)
                route_builders.append((screen, view.builder))
                router_uris += view.router_imports

    route_names = {s.route: route_const(s) for s in spec.screens}
    files["lib/ui/home/home_screen.dart"] = app.home_screen(spec, has_auth, route_names)
    home = spec.home_screen()
    home_builder = "HomeScreen(onSignOut: authRepository.signOut)" if has_auth else "const HomeScreen()"
    route_builders.insert(0, (home, home_builder))
    files["lib/routing/router.dart"] = _router(spec, route_builders, router_uris, auth_feature)
    files["lib/config/dependencies.dart"] = app.dependencies(
        spec, codes, has_auth, auth_feature, has_notify, has_share)
    files["README.md"] = readme(spec)
    return dict(sorted(files.items()))


def _router(spec: ProductSpec, builders: list[tuple[Screen, str]], uris: list[str],
            auth_feature: str | None) -> str:
    pkg = spec.package_name
    uses_context = any("context." in b for _, b in builders)
    routes = []
    for screen, built in builders:
        single = re.fullmatch(r"(\w+)\(viewModel: (.*)\)", built)
        if single and len(built) > 60:
            view_model = single.group(2)
            parts = re.fullmatch(r"(\w+)\((.*?)\)(\.\.load\(\))?", view_model)
            if parts and len("          viewModel: ") + len(view_model) + 1 > 80:
                args = "".join(f"    {arg},\n" for arg in parts.group(2).split(", "))
                view_model = f"{parts.group(1)}(\n{args}  ){parts.group(3) or ''}"
            built = f"{single.group(1)}(\n  viewModel: {view_model},\n)"
        args = "(context, state)" if "state." in built or "context." in built else "(_, __)"
        if "\n" in built:
            routes.append(f"GoRoute(\n  path: Routes.{route_const(screen)},\n  builder: {args} => "
                          f"{indent(built, 2)},\n),")
        else:
            routes.append(f"GoRoute(\n  path: Routes.{route_const(screen)},\n  builder: {args} => "
                          f"{built},\n),")
    all_uris = ["package:go_router/go_router.dart", f"package:{pkg}/routing/routes.dart",
                f"package:{pkg}/ui/home/home_screen.dart", *uris]
    if uses_context:
        all_uris.append("package:provider/provider.dart")
    if auth_feature:
        all_uris.append(f"package:{pkg}/features/{auth_feature}/data/auth_repository.dart")
        return render("""
            {{imports}}

            /// The app's routes; signed-out users are sent to the sign-in screen.
            GoRouter buildRouter(AuthRepository authRepository) {
              return GoRouter(
                initialLocation: Routes.home,
                refreshListenable: authRepository,
                redirect: (context, state) {
                  final signingIn = state.matchedLocation == Routes.signIn;
                  if (!authRepository.isAuthenticated) {
                    return signingIn ? null : Routes.signIn;
                  }
                  return signingIn ? Routes.home : null;
                },
                routes: [
                  {{routes}}
                ],
              );
            }
            """, imports=imports(*all_uris), routes=indent("\n".join(routes), 6))
    return render("""
        {{imports}}

        /// The app's routes, one per screen.
        GoRouter buildRouter() {
          return GoRouter(
            initialLocation: Routes.home,
            routes: [
              {{routes}}
            ],
          );
        }
        """, imports=imports(*all_uris), routes=indent("\n".join(routes), 6))


def platform_notes(spec: ProductSpec) -> str:
    """What the platform folders need after `flutter create`, for the plugins this app uses."""
    kinds = {f.kind for f in spec.features}
    notes = []
    if "reminders" in kinds:
        notes.append(
            "### Notifications (flutter_local_notifications)\n\n"
            "Android: the plugin needs core library desugaring. Current `flutter create` writes\n"
            "the Kotlin DSL, `android/app/build.gradle.kts`; add to its existing\n"
            "`compileOptions` block and to `dependencies`:\n\n"
            "```kotlin\nandroid {\n    compileOptions {\n        isCoreLibraryDesugaringEnabled = true\n"
            "    }\n}\n\ndependencies {\n"
            "    coreLibraryDesugaring(\"com.android.tools:desugar_jdk_libs:2.0.4\")\n}\n```\n\n"
            "Older projects with a Groovy `android/app/build.gradle`:\n\n"
            "```groovy\nandroid {\n    compileOptions {\n        coreLibraryDesugaringEnabled true\n"
            "    }\n}\n\ndependencies {\n"
            "    coreLibraryDesugaring 'com.android.tools:desugar_jdk_libs:2.0.4'\n}\n```\n\n"
            "Android, in `android/app/src/main/AndroidManifest.xml`: the permission to post\n"
            "notifications (Android 13+ asks the user; the app requests it when the first\n"
            "reminder is scheduled) and the receivers that deliver scheduled notifications and\n"
            "restore them after a reboot.\n\n"
            "```xml\n<uses-permission android:name=\"android.permission.POST_NOTIFICATIONS\"/>\n"
            "<uses-permission android:name=\"android.permission.RECEIVE_BOOT_COMPLETED\"/>\n"
            "<!-- inside <application> -->\n"
            "<receiver android:exported=\"false\"\n"
            "    android:name=\"com.dexterous.flutterlocalnotifications.ScheduledNotificationReceiver\" />\n"
            "<receiver android:exported=\"false\"\n"
            "    android:name=\"com.dexterous.flutterlocalnotifications.ScheduledNotificationBootReceiver\">\n"
            "    <intent-filter>\n"
            "        <action android:name=\"android.intent.action.BOOT_COMPLETED\"/>\n"
            "        <action android:name=\"android.intent.action.MY_PACKAGE_REPLACED\"/>\n"
            "    </intent-filter>\n</receiver>\n```\n\n"
            "Reminders are scheduled with `AndroidScheduleMode.inexactAllowWhileIdle`, so the\n"
            "exact-alarm permissions (`SCHEDULE_EXACT_ALARM`, `USE_EXACT_ALARM`) are not needed;\n"
            "a reminder may arrive a few minutes late. Switch to `exactAllowWhileIdle` and declare\n"
            "`SCHEDULE_EXACT_ALARM` if it must be on the minute.\n\n"
            "iOS asks for permission when the app starts (`DarwinInitializationSettings`).\n"
            + ("Web has no local notifications: reminders are saved but not shown there.\n"
               if "web" in spec.platforms else ""))
    if "map" in kinds:
        notes.append(
            "### Map (flutter_map)\n\n"
            "Tiles come from OpenStreetMap over the network. `flutter create` adds the INTERNET\n"
            "permission only to the debug manifest; add it to\n"
            "`android/app/src/main/AndroidManifest.xml` for release builds:\n\n"
            "```xml\n<uses-permission android:name=\"android.permission.INTERNET\"/>\n```\n\n"
            "The map shows saved places only and never reads the device location, so no location\n"
            "permission is needed. Follow the OpenStreetMap tile usage policy (or use your own\n"
            "tile server) before publishing.")
    if spec.backend in ("rest", "firebase", "supabase") and "map" not in kinds:
        notes.append(
            "### Network\n\n"
            "`flutter create` adds the INTERNET permission only to the debug manifest; add\n"
            "`<uses-permission android:name=\"android.permission.INTERNET\"/>` to\n"
            "`android/app/src/main/AndroidManifest.xml` for release builds.")
    return "\n\n".join(n.rstrip("\n") for n in notes)


def readme(spec: ProductSpec) -> str:
    """The app's README: how to run it, configure the backend, and what it does."""
    platforms = ",".join(spec.platforms)
    features = "\n".join(f"- **{markdown_text(f.title)}**: {markdown_text(f.summary)}"
                         for f in spec.features)
    backend = {
        "none": "Data stays on the device (shared_preferences). No configuration needed.",
        "firebase": (
            "1. Create a Firebase project and enable Email/Password sign-in and Cloud Firestore.\n"
            "2. Install the FlutterFire CLI: `dart pub global activate flutterfire_cli`.\n"
            "3. Run `flutterfire configure` in this folder; it registers the apps, adds the\n"
            "   platform config files and writes `lib/firebase_options.dart`. On web (and\n"
            "   wherever you prefer explicit options) import that file in\n"
            "   `lib/config/dependencies.dart` and call\n"
            "   `Firebase.initializeApp(options: DefaultFirebaseOptions.currentPlatform)`.\n"
            "4. The Firebase plugins need Android `minSdk = 23` (in `android/app/build.gradle.kts`;\n"
            "   `minSdkVersion 23` in an older Groovy `android/app/build.gradle`) and iOS 13\n"
            "   (`platform :ios, '13.0'` in `ios/Podfile`).\n"
            "5. Deploy the security rules from [`../docs/backend_plan.md`](../docs/backend_plan.md),\n"
            "   then `flutter run`.\n\n"
            "Without Firebase, run with `--dart-define=USE_LOCAL_DATA=true`."),
        "supabase": (
            "1. Create a Supabase project and the tables from\n"
            "   [`../docs/backend_plan.md`](../docs/backend_plan.md), with row level "
            "security on.\n"
            "2. Run with your project settings:\n\n"
            "   ```sh\n   flutter run --dart-define=SUPABASE_URL=https://YOUR-PROJECT.supabase.co "
            "--dart-define=SUPABASE_ANON_KEY=YOUR-ANON-KEY\n   ```\n\n"
            "Without Supabase, run with `--dart-define=USE_LOCAL_DATA=true`."),
        "rest": (
            "The API is described in [`../docs/openapi.yaml`](../docs/openapi.yaml). Point the app at\n"
            "your server:\n\n"
            "```sh\nflutter run --dart-define=API_BASE_URL=https://api.example.com\n```\n\n"
            "Without a server, run with `--dart-define=USE_LOCAL_DATA=true`."),
    }[spec.backend]
    notes = platform_notes(spec)
    run = "flutter run" if spec.backend == "none" else "flutter run --dart-define=USE_LOCAL_DATA=true"
    run_note = "" if spec.backend == "none" else (
        "The first run keeps data on the device; connect the backend as described below,\n"
        "then run without `USE_LOCAL_DATA`.\n")
    notes_section = f"## Platform setup\n\n{notes}\n\n" if notes else ""
    return (f"# {markdown_text(spec.app_name)}\n\n{markdown_text(spec.description)}\n\n"
            "## Run it\n\n"
            f"```sh\nflutter create . --platforms={platforms} --project-name {spec.package_name}\n"
            f"flutter pub get\nflutter test\n{run}\n```\n\n"
            "`flutter create .` only adds the platform folders; it keeps the generated files.\n"
            f"{run_note}\n"
            f"## Backend: {spec.backend}\n\n{backend}\n\n{notes_section}"
            f"## Features\n\n{features}\n\n"
            "## Architecture\n\n"
            "Feature-first folders following the Flutter team's architecture guide: each feature has\n"
            "`domain/` (immutable models), `data/` (a repository interface with local and remote\n"
            "implementations) and `ui/` (one ChangeNotifier view model per screen). Routing is\n"
            "declarative with go_router (`lib/routing/`), dependencies are wired once in\n"
            "`lib/config/dependencies.dart` with provider, and failures travel as `Result` values\n"
            "(`lib/utils/result.dart`).\n")
