"""App-wide Dart: entry point, shell, theme, Result, routing, dependency wiring, services, auth."""

from __future__ import annotations

from chalicelib.flutter.escape import dart_string
from chalicelib.flutter.generator_dart import call, imports, indent, render
from chalicelib.flutter.spec import ProductSpec

RESULT = """
/// The outcome of an operation that can fail: [Ok] with a value or [Error]
/// with an exception.
sealed class Result<T> {
  const Result();

  /// A successful result holding [value].
  const factory Result.ok(T value) = Ok._;

  /// A failed result holding [error].
  const factory Result.error(Exception error) = Error._;
}

/// A successful [Result].
final class Ok<T> extends Result<T> {
  const Ok._(this.value);

  final T value;

  @override
  String toString() => 'Result<$T>.ok($value)';
}

/// A failed [Result].
final class Error<T> extends Result<T> {
  const Error._(this.error);

  final Exception error;

  @override
  String toString() => 'Result<$T>.error($error)';
}
""".lstrip()

STATE_VIEWS = """
import 'package:flutter/material.dart';

/// Shown while data loads.
class LoadingView extends StatelessWidget {
  const LoadingView({super.key});

  @override
  Widget build(BuildContext context) {
    return const Center(
      child: CircularProgressIndicator(semanticsLabel: 'Loading'),
    );
  }
}

/// Shown when loading failed, with a way to try again.
class ErrorView extends StatelessWidget {
  const ErrorView({super.key, required this.message, required this.onRetry});

  final String message;
  final VoidCallback onRetry;

  @override
  Widget build(BuildContext context) {
    return Center(
      child: Padding(
        padding: const EdgeInsets.all(24),
        child: Column(
          mainAxisSize: MainAxisSize.min,
          children: [
            Icon(
              Icons.error_outline,
              size: 48,
              color: Theme.of(context).colorScheme.error,
            ),
            const SizedBox(height: 12),
            Text(message, textAlign: TextAlign.center),
            const SizedBox(height: 12),
            FilledButton.tonal(
              onPressed: onRetry,
              child: const Text('Try again'),
            ),
          ],
        ),
      ),
    );
  }
}

/// Shown when there is nothing to list yet.
class EmptyView extends StatelessWidget {
  const EmptyView({super.key, required this.icon, required this.message});

  final IconData icon;
  final String message;

  @override
  Widget build(BuildContext context) {
    return Center(
      child: Padding(
        padding: const EdgeInsets.all(24),
        child: Column(
          mainAxisSize: MainAxisSize.min,
          children: [
            Icon(icon, size: 48, color: Theme.of(context).colorScheme.outline),
            const SizedBox(height: 12),
            Text(message, textAlign: TextAlign.center),
          ],
        ),
      ),
    );
  }
}
""".lstrip()

FORMATTERS = """
import 'package:intl/intl.dart';

/// A date as users read it, e.g. "Jan 15, 2030".
String formatDate(DateTime value) => DateFormat.yMMMd().format(value);

/// A date and time, e.g. "Jan 15, 2030 9:30 AM".
String formatDateTime(DateTime value) =>
    DateFormat.yMMMd().add_jm().format(value);

/// A number with grouping and at most two decimals.
String formatNumber(num value) => NumberFormat('#,##0.##').format(value);
""".lstrip()

PICK_DATE = """
import 'package:flutter/material.dart';

/// Asks for a date (and a time when [withTime]); null when the user cancels.
Future<DateTime?> pickDate(
  BuildContext context, {
  DateTime? initial,
  bool withTime = false,
}) async {
  final start = initial ?? DateTime.now();
  final date = await showDatePicker(
    context: context,
    initialDate: start,
    firstDate: DateTime(2000),
    lastDate: DateTime(2100),
  );
  if (date == null || !withTime || !context.mounted) {
    return date;
  }
  final time = await showTimePicker(
    context: context,
    initialTime: TimeOfDay.fromDateTime(start),
  );
  if (time == null) {
    return date;
  }
  return DateTime(date.year, date.month, date.day, time.hour, time.minute);
}
""".lstrip()

NOTIFICATION_SERVICE = """
import 'package:flutter_local_notifications/flutter_local_notifications.dart';
import 'package:timezone/data/latest_all.dart' as tz_data;
import 'package:timezone/timezone.dart' as tz;

/// A stable notification id for an item id (String.hashCode may differ
/// between runs).
int notificationIdFor(String id) =>
    id.codeUnits.fold(17, (hash, unit) => (hash * 31 + unit) & 0x7fffffff);

/// Schedules and cancels local notifications; view models depend on this
/// interface.
abstract interface class NotificationService {
  /// Shows a notification with [title] and [body] at [at].
  Future<void> schedule({
    required int id,
    required String title,
    String? body,
    required DateTime at,
  });

  /// Cancels the notification with [id].
  Future<void> cancel(int id);
}

/// [NotificationService] backed by flutter_local_notifications.
class LocalNotificationService implements NotificationService {
  final _plugin = FlutterLocalNotificationsPlugin();
  bool _permissionRequested = false;

  /// Prepares time zones and the plugin; call once before [runApp].
  Future<void> initialize() async {
    tz_data.initializeTimeZones();
    const settings = InitializationSettings(
      android: AndroidInitializationSettings('@mipmap/ic_launcher'),
      iOS: DarwinInitializationSettings(),
    );
    await _plugin.initialize(settings);
  }

  @override
  Future<void> schedule({
    required int id,
    required String title,
    String? body,
    required DateTime at,
  }) async {
    if (at.isBefore(DateTime.now())) {
      return;
    }
    await _requestPermissionOnce();
    await _plugin.zonedSchedule(
      id,
      title,
      body,
      tz.TZDateTime.from(at, tz.local),
      const NotificationDetails(
        android: AndroidNotificationDetails(
          'reminders',
          'Reminders',
          channelDescription: 'Reminders you scheduled in the app',
        ),
        iOS: DarwinNotificationDetails(),
      ),
      androidScheduleMode: AndroidScheduleMode.inexactAllowWhileIdle,
      uiLocalNotificationDateInterpretation:
          UILocalNotificationDateInterpretation.absoluteTime,
    );
  }

  @override
  Future<void> cancel(int id) => _plugin.cancel(id);

  /// Asks for the notification permission (Android 13+) when the first
  /// notification is scheduled; iOS asks when the plugin is initialised.
  Future<void> _requestPermissionOnce() async {
    if (_permissionRequested) {
      return;
    }
    _permissionRequested = true;
    await _plugin
        .resolvePlatformSpecificImplementation<
            AndroidFlutterLocalNotificationsPlugin>()
        ?.requestNotificationsPermission();
  }
}
""".lstrip()

FAKE_NOTIFICATIONS = """
import 'package:{{package}}/data/services/notification_service.dart';

/// Records scheduled notifications instead of showing them.
class FakeNotificationService implements NotificationService {
  final scheduled = <int, DateTime>{};

  @override
  Future<void> schedule({
    required int id,
    required String title,
    String? body,
    required DateTime at,
  }) async {
    scheduled[id] = at;
  }

  @override
  Future<void> cancel(int id) async {
    scheduled.remove(id);
  }
}
""".lstrip()

SHARE_SERVICE = """
import 'package:share_plus/share_plus.dart';

/// Opens the system share sheet; screens depend on this class so tests can
/// replace it.
class ShareService {
  const ShareService();

  /// Shares [text] with another app.
  Future<void> share(String text) async {
    await Share.share(text);
  }
}
""".lstrip()

API_CLIENT = """
import 'dart:convert';

import 'package:http/http.dart' as http;
import 'package:{{package}}/utils/result.dart';

/// An HTTP status outside 2xx from the API.
class ApiException implements Exception {
  const ApiException(this.statusCode, this.body);

  final int statusCode;
  final String body;

  @override
  String toString() => 'ApiException($statusCode)';
}

/// JSON over HTTPS against the API described in ../docs/openapi.yaml.
class ApiClient {
  ApiClient({required String baseUrl, http.Client? client})
      : _baseUrl = baseUrl,
        _client = client ?? http.Client();

  final String _baseUrl;
  final http.Client _client;
  String? _token;

  /// Sends [token] as a bearer token from now on (null signs out).
  void updateToken(String? token) => _token = token;

  Map<String, String> get _headers => {
        'Content-Type': 'application/json',
        'Accept': 'application/json',
        if (_token != null) 'Authorization': 'Bearer $_token',
      };

  Uri _uri(String path) => Uri.parse('$_baseUrl$path');

  /// GET [path], expecting a JSON array of objects.
  Future<Result<List<Map<String, dynamic>>>> getList(String path) async {
    final result = await _send(
      () => _client.get(_uri(path), headers: _headers),
    );
    return switch (result) {
      Ok(:final value) =>
        Result.ok((value as List<dynamic>).cast<Map<String, dynamic>>()),
      Error(:final error) => Result.error(error),
    };
  }

  /// GET [path], expecting a JSON object.
  Future<Result<Map<String, dynamic>>> getObject(String path) async {
    final result = await _send(
      () => _client.get(_uri(path), headers: _headers),
    );
    return switch (result) {
      Ok(:final value) => Result.ok(value as Map<String, dynamic>),
      Error(:final error) => Result.error(error),
    };
  }

  /// POST [body] to [path], expecting a JSON object back.
  Future<Result<Map<String, dynamic>>> post(
    String path,
    Map<String, dynamic> body,
  ) async {
    final result = await _send(
      () => _client.post(_uri(path), headers: _headers, body: jsonEncode(body)),
    );
    return switch (result) {
      Ok(:final value) => Result.ok(value as Map<String, dynamic>),
      Error(:final error) => Result.error(error),
    };
  }

  /// PUT [body] to [path].
  Future<Result<void>> put(String path, Map<String, dynamic> body) async {
    final result = await _send(
      () => _client.put(_uri(path), headers: _headers, body: jsonEncode(body)),
    );
    return switch (result) {
      Ok() => const Result.ok(null),
      Error(:final error) => Result.error(error),
    };
  }

  /// DELETE [path].
  Future<Result<void>> delete(String path) async {
    final result = await _send(
      () => _client.delete(_uri(path), headers: _headers),
    );
    return switch (result) {
      Ok() => const Result.ok(null),
      Error(:final error) => Result.error(error),
    };
  }

  Future<Result<Object?>> _send(
    Future<http.Response> Function() request,
  ) async {
    try {
      final response = await request();
      if (response.statusCode < 200 || response.statusCode >= 300) {
        return Result.error(ApiException(response.statusCode, response.body));
      }
      final body = response.body;
      return Result.ok(body.isEmpty ? null : jsonDecode(body));
    } on Exception catch (error) {
      return Result.error(error);
    }
  }
}
""".lstrip()


def theme(spec: ProductSpec) -> str:
    """lib/ui/core/theme.dart: Material 3 light and dark schemes from the style's seed color."""
    seed = "0xFF" + spec.seed_color.lstrip("#").upper()
    return render("""
        import 'package:flutter/material.dart';

        /// The app's Material 3 themes, generated from one seed color ({{style}} style).
        abstract final class AppTheme {
          static const seedColor = Color({{seed}});

          static ThemeData get light => _build(Brightness.light);

          static ThemeData get dark => _build(Brightness.dark);

          static ThemeData _build(Brightness brightness) {
            final colorScheme = ColorScheme.fromSeed(
              seedColor: seedColor,
              brightness: brightness,
            );
            return ThemeData(
              useMaterial3: true,
              colorScheme: colorScheme,
              visualDensity: {{density}},
              inputDecorationTheme: const InputDecorationTheme(
                border: OutlineInputBorder(),
              ),
            );
          }
        }
        """, style=spec.style.replace("\n", " ").replace("*/", ""), seed=seed,
        density="VisualDensity.compact" if spec.style == "minimal" else
        "VisualDensity.standard")


# The map's view before any item has a position: latitude and longitude of Paris.
DEFAULT_MAP_CENTER = (48.8566, 2.3522)


def app_config(spec: ProductSpec) -> str:
    """lib/config/app_config.dart: the app's texts and the build-time backend settings."""
    lines = [f"  static const title = {dart_string(spec.app_name)};",
             f"  static const description = {dart_string(spec.description)};"]
    if any(f.kind == "map" for f in spec.features):
        lines.append(
            "\n  /// Where the map opens while no item has a position (Paris; change it to your\n"
            "  /// area). As soon as items have coordinates the map fits them all instead.\n"
            f"  static const defaultMapLatitude = {DEFAULT_MAP_CENTER[0]};\n"
            f"  static const defaultMapLongitude = {DEFAULT_MAP_CENTER[1]};\n\n"
            "  /// The zoom of the default view.\n"
            "  static const defaultMapZoom = 13.0;\n\n"
            "  /// The closest zoom used when fitting items (one item would fill the screen).\n"
            "  static const maxMapFitZoom = 15.0;")
    if spec.backend != "none":
        lines.append("\n  /// Run with --dart-define=USE_LOCAL_DATA=true to keep data on the device.\n"
                     "  static const useLocalData = bool.fromEnvironment('USE_LOCAL_DATA');")
    if spec.backend == "rest":
        lines.append("\n  /// The API base URL, e.g. --dart-define=API_BASE_URL=https://api.example.com\n"
                     "  static const apiBaseUrl = String.fromEnvironment(\n"
                     "    'API_BASE_URL',\n    defaultValue: 'https://api.example.com',\n  );")
    if spec.backend == "supabase":
        lines.append("\n  /// Supabase project settings, passed with --dart-define.\n"
                     "  static const supabaseUrl = String.fromEnvironment('SUPABASE_URL');\n"
                     "  static const supabaseAnonKey = String.fromEnvironment('SUPABASE_ANON_KEY');")
    return ("/// Texts and build-time settings of the app, in one place.\n"
            "abstract final class AppConfig {\n" + "\n".join(lines) + "\n}\n")


def auth_files(spec: ProductSpec, feature_id: str) -> dict[str, str]:
    """Auth repository (interface, local, backend) and the sign-in screen with its test."""
    pkg, folder = spec.package_name, f"lib/features/{feature_id}"
    base = f"package:{pkg}/features/{feature_id}"
    result = f"package:{pkg}/utils/result.dart"
    files = {f"{folder}/data/auth_repository.dart": render("""
        import 'package:flutter/foundation.dart';
        import '{{result}}';

        /// Who is signed in; the router listens to it to guard screens.
        abstract class AuthRepository extends ChangeNotifier {
          /// Whether a user is signed in.
          bool get isAuthenticated;

          /// Signs in with email and password.
          Future<Result<void>> signIn({
            required String email,
            required String password,
          });

          /// Signs the current user out.
          Future<Result<void>> signOut();
        }
        """, result=result),
        f"{folder}/data/local_auth_repository.dart": render("""
        import '{{base}}/data/auth_repository.dart';
        import '{{result}}';

        /// A device-only session for running the app without a backend; it keeps no
        /// password.
        class LocalAuthRepository extends AuthRepository {
          bool _isAuthenticated = false;

          @override
          bool get isAuthenticated => _isAuthenticated;

          @override
          Future<Result<void>> signIn({
            required String email,
            required String password,
          }) async {
            _isAuthenticated = true;
            notifyListeners();
            return const Result.ok(null);
          }

          @override
          Future<Result<void>> signOut() async {
            _isAuthenticated = false;
            notifyListeners();
            return const Result.ok(null);
          }
        }
        """, base=base, result=result)}
    remote = {
        "firebase": render("""
            import 'dart:async';

            import 'package:firebase_auth/firebase_auth.dart';
            import '{{base}}/data/auth_repository.dart';
            import '{{result}}';

            /// Email and password sign-in with Firebase Authentication.
            class RemoteAuthRepository extends AuthRepository {
              RemoteAuthRepository({FirebaseAuth? auth})
                  : _auth = auth ?? FirebaseAuth.instance {
                _subscription = _auth.authStateChanges().listen((_) => notifyListeners());
              }

              final FirebaseAuth _auth;
              late final StreamSubscription<User?> _subscription;

              @override
              bool get isAuthenticated => _auth.currentUser != null;

              @override
              Future<Result<void>> signIn({
                required String email,
                required String password,
              }) async {
                try {
                  await _auth.signInWithEmailAndPassword(
                    email: email,
                    password: password,
                  );
                  return const Result.ok(null);
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }

              @override
              Future<Result<void>> signOut() async {
                try {
                  await _auth.signOut();
                  return const Result.ok(null);
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }

              @override
              void dispose() {
                _subscription.cancel();
                super.dispose();
              }
            }
            """, base=base, result=result),
        "supabase": render("""
            import 'dart:async';

            import 'package:supabase_flutter/supabase_flutter.dart';
            import '{{base}}/data/auth_repository.dart';
            import '{{result}}';

            /// Email and password sign-in with Supabase Auth.
            class RemoteAuthRepository extends AuthRepository {
              RemoteAuthRepository({SupabaseClient? client})
                  : _client = client ?? Supabase.instance.client {
                _subscription = _client.auth.onAuthStateChange.listen(
                  (_) => notifyListeners(),
                );
              }

              final SupabaseClient _client;
              late final StreamSubscription<AuthState> _subscription;

              @override
              bool get isAuthenticated => _client.auth.currentSession != null;

              @override
              Future<Result<void>> signIn({
                required String email,
                required String password,
              }) async {
                try {
                  await _client.auth.signInWithPassword(
                    email: email,
                    password: password,
                  );
                  return const Result.ok(null);
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }

              @override
              Future<Result<void>> signOut() async {
                try {
                  await _client.auth.signOut();
                  return const Result.ok(null);
                } on Exception catch (error) {
                  return Result.error(error);
                }
              }

              @override
              void dispose() {
                _subscription.cancel();
                super.dispose();
              }
            }
            """, base=base, result=result),
        "rest": render("""
            import 'package:{{pkg}}/data/services/api_client.dart';
            import '{{base}}/data/auth_repository.dart';
            import '{{result}}';

            /// Signs in with POST /auth/token; the token lives in memory only.
            class RemoteAuthRepository extends AuthRepository {
              RemoteAuthRepository({required ApiClient apiClient})
                  : _apiClient = apiClient;

              final ApiClient _apiClient;
              bool _isAuthenticated = false;

              @override
              bool get isAuthenticated => _isAuthenticated;

              @override
              Future<Result<void>> signIn({
                required String email,
                required String password,
              }) async {
                final result = await _apiClient.post(
                  '/auth/token',
                  {'email': email, 'password': password},
                );
                switch (result) {
                  case Ok(:final value):
                    _apiClient.updateToken(value['token'] as String?);
                    _isAuthenticated = true;
                    notifyListeners();
                    return const Result.ok(null);
                  case Error(:final error):
                    return Result.error(error);
                }
              }

              @override
              Future<Result<void>> signOut() async {
                _apiClient.updateToken(null);
                _isAuthenticated = false;
                notifyListeners();
                return const Result.ok(null);
              }
            }
            """, pkg=pkg, base=base, result=result),
    }
    if spec.backend in remote:
        files[f"{folder}/data/remote_auth_repository.dart"] = remote[spec.backend]
    files[f"{folder}/ui/sign_in_view_model.dart"] = render("""
        import 'package:flutter/foundation.dart';
        import '{{base}}/data/auth_repository.dart';
        import '{{result}}';

        /// State of the sign-in form.
        class SignInViewModel extends ChangeNotifier {
          SignInViewModel({required AuthRepository authRepository})
              : _authRepository = authRepository;

          final AuthRepository _authRepository;
          bool _isBusy = false;
          String? _errorMessage;

          bool get isBusy => _isBusy;
          String? get errorMessage => _errorMessage;

          /// Signs in; the router moves on when the session changes.
          Future<void> signIn(String email, String password) async {
            _isBusy = true;
            _errorMessage = null;
            notifyListeners();
            final result = await _authRepository.signIn(
              email: email,
              password: password,
            );
            if (result is Error<void>) {
              _errorMessage = 'Sign in failed. Check your email and password.';
            }
            _isBusy = false;
            notifyListeners();
          }
        }
        """, base=base, result=result)
    files[f"{folder}/ui/sign_in_screen.dart"] = render("""
        import 'package:flutter/material.dart';
        import 'package:{{pkg}}/config/app_config.dart';
        import '{{base}}/ui/sign_in_view_model.dart';

        /// Email and password sign-in, validated before anything is sent.
        class SignInScreen extends StatefulWidget {
          const SignInScreen({super.key, required this.viewModel});

          final SignInViewModel viewModel;

          @override
          State<SignInScreen> createState() => _SignInScreenState();
        }

        class _SignInScreenState extends State<SignInScreen> {
          final _formKey = GlobalKey<FormState>();
          final _email = TextEditingController();
          final _password = TextEditingController();

          @override
          void dispose() {
            _email.dispose();
            _password.dispose();
            super.dispose();
          }

          void _submit() {
            if (_formKey.currentState?.validate() ?? false) {
              widget.viewModel.signIn(_email.text.trim(), _password.text);
            }
          }

          @override
          Widget build(BuildContext context) {
            return Scaffold(
              appBar: AppBar(title: const Text(AppConfig.title)),
              body: ListenableBuilder(
                listenable: widget.viewModel,
                builder: (context, _) {
                  final error = widget.viewModel.errorMessage;
                  return Form(
                    key: _formKey,
                    child: ListView(
                      padding: const EdgeInsets.all(24),
                      children: [
                        Text(
                          'Sign in',
                          style: Theme.of(context).textTheme.headlineSmall,
                        ),
                        const SizedBox(height: 16),
                        TextFormField(
                          controller: _email,
                          decoration: const InputDecoration(labelText: 'Email'),
                          keyboardType: TextInputType.emailAddress,
                          autofillHints: const [AutofillHints.email],
                          validator: (value) {
                            final text = value?.trim() ?? '';
                            if (text.isEmpty) {
                              return 'Enter your email';
                            }
                            if (!RegExp(r'^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$').hasMatch(text)) {
                              return 'Enter a valid email';
                            }
                            return null;
                          },
                        ),
                        const SizedBox(height: 12),
                        TextFormField(
                          controller: _password,
                          decoration: const InputDecoration(labelText: 'Password'),
                          obscureText: true,
                          autofillHints: const [AutofillHints.password],
                          validator: (value) => (value ?? '').length < 6
                              ? 'Use at least 6 characters'
                              : null,
                          onFieldSubmitted: (_) => _submit(),
                        ),
                        if (error != null) ...[
                          const SizedBox(height: 12),
                          Text(
                            error,
                            style: TextStyle(
                              color: Theme.of(context).colorScheme.error,
                            ),
                          ),
                        ],
                        const SizedBox(height: 24),
                        FilledButton(
                          onPressed: widget.viewModel.isBusy ? null : _submit,
                          child: const Text('Sign in'),
                        ),
                      ],
                    ),
                  );
                },
              ),
            );
          }
        }
        """, pkg=pkg, base=base)
    files[f"test/{feature_id}/sign_in_screen_test.dart"] = render("""
        import 'package:flutter/material.dart';
        import 'package:flutter_test/flutter_test.dart';
        import '{{base}}/data/local_auth_repository.dart';
        import '{{base}}/ui/sign_in_screen.dart';
        import '{{base}}/ui/sign_in_view_model.dart';

        void main() {
          testWidgets('validates before signing in', (tester) async {
            final repository = LocalAuthRepository();
            final viewModel = SignInViewModel(authRepository: repository);
            await tester.pumpWidget(
              MaterialApp(home: SignInScreen(viewModel: viewModel)),
            );

            await tester.tap(find.widgetWithText(FilledButton, 'Sign in'));
            await tester.pump();
            expect(find.text('Enter your email'), findsOneWidget);
            expect(repository.isAuthenticated, isFalse);

            await tester.enterText(
              find.byType(TextFormField).first,
              'ada@example.com',
            );
            await tester.enterText(
              find.byType(TextFormField).last,
              'secret123',
            );
            await tester.tap(find.widgetWithText(FilledButton, 'Sign in'));
            await tester.pump();
            expect(repository.isAuthenticated, isTrue);
          });
        }
        """, base=base)
    return files


def home_screen(spec: ProductSpec, has_auth: bool, route_names: dict[str, str]) -> str:
    """lib/ui/home/home_screen.dart: the landing screen linking to every feature."""
    entries = [call("_Destination", [dart_string(d.label), f"Icons.{d.icon}",
                                     f"Routes.{route_names[d.route]}"], 2, ",")
               for d in spec.navigation.destinations]
    sign_out = render("""
        actions: [
          IconButton(
            tooltip: 'Sign out',
            icon: const Icon(Icons.logout),
            onPressed: onSignOut,
          ),
        ],
        """) if has_auth else ""
    ctor = "const HomeScreen({super.key, this.onSignOut});\n\n  /// Signs the user out.\n" \
           "  final VoidCallback? onSignOut;" if has_auth else "const HomeScreen({super.key});"
    return render("""
        import 'package:flutter/material.dart';
        import 'package:go_router/go_router.dart';
        import 'package:{{pkg}}/config/app_config.dart';
        import 'package:{{pkg}}/routing/routes.dart';

        class _Destination {
          const _Destination(this.label, this.icon, this.route);

          final String label;
          final IconData icon;
          final String route;
        }

        const _destinations = [
          {{entries}}
        ];

        /// Where users land: the app's purpose and a way into every feature.
        class HomeScreen extends StatelessWidget {
          {{ctor}}

          @override
          Widget build(BuildContext context) {
            return Scaffold(
              appBar: {{app_bar}},
              body: ListView(
                padding: const EdgeInsets.all(16),
                children: [
                  Text(
                    AppConfig.description,
                    style: Theme.of(context).textTheme.bodyLarge,
                  ),
                  const SizedBox(height: 16),
                  for (final destination in _destinations)
                    Card(
                      child: ListTile(
                        leading: Icon(destination.icon),
                        title: Text(destination.label),
                        trailing: const Icon(Icons.chevron_right),
                        onTap: () => context.push(destination.route),
                      ),
                    ),
                ],
              ),
            );
          }
        }
        """, pkg=spec.package_name, entries=indent("\n".join(entries), 2), ctor=ctor,
        app_bar=indent("AppBar(\n  title: const Text(AppConfig.title),\n  " + indent(
            sign_out.strip(), 2) + "\n)" if has_auth else "AppBar(title: const Text(AppConfig.title))",
            6))


def smoke_test(spec: ProductSpec) -> str:
    """test/widget_test.dart: both themes build and the home screen shows the app's title.

    It also holds the path `flutter create .` would otherwise fill with its counter-app test,
    which does not compile against this project.
    """
    return render("""
        {{imports}}

        void main() {
          testWidgets('home shows the app title in both themes', (tester) async {
            for (final theme in [AppTheme.light, AppTheme.dark]) {
              await tester.pumpWidget(
                MaterialApp(theme: theme, home: const HomeScreen()),
              );
              expect(find.text(AppConfig.title), findsOneWidget);
            }
          });
        }
        """, imports=imports("package:flutter/material.dart", "package:flutter_test/flutter_test.dart",
                             f"package:{spec.package_name}/config/app_config.dart",
                             f"package:{spec.package_name}/ui/core/theme.dart",
                             f"package:{spec.package_name}/ui/home/home_screen.dart"))


def home_test(spec: ProductSpec) -> str:
    """test/ui/home_screen_test.dart: the home screen links to every feature."""
    checks = "\n".join(f"    expect(find.text({dart_string(d.label)}), findsOneWidget);"
                       for d in spec.navigation.destinations)
    return render("""
        {{imports}}

        void main() {
          testWidgets('home links to every feature', (tester) async {
            // A tall window, so every destination of the list is built and on screen.
            tester.view.physicalSize = const Size(800, 2400);
            tester.view.devicePixelRatio = 1;
            addTearDown(tester.view.reset);

            await tester.pumpWidget(const MaterialApp(home: HomeScreen()));
        {{checks}}
          });
        }
        """, imports=imports("package:flutter/material.dart", "package:flutter_test/flutter_test.dart",
                             f"package:{spec.package_name}/ui/home/home_screen.dart"),
        checks=checks)


def app_shell(spec: ProductSpec, has_auth: bool) -> str:
    """lib/app.dart: MaterialApp.router with the themes and the router built once."""
    router_arg = "context.read()" if has_auth else ""
    provider = "import 'package:provider/provider.dart';\n" if has_auth else ""
    return render("""
        import 'package:flutter/material.dart';
        import 'package:go_router/go_router.dart';
        {{provider}}import 'package:{{pkg}}/config/app_config.dart';
        import 'package:{{pkg}}/routing/router.dart';
        import 'package:{{pkg}}/ui/core/theme.dart';

        /// The app shell: themes, title and the router.
        class App extends StatefulWidget {
          const App({super.key});

          @override
          State<App> createState() => _AppState();
        }

        class _AppState extends State<App> {
          late final GoRouter _router;

          @override
          void initState() {
            super.initState();
            _router = buildRouter({{router_arg}});
          }

          @override
          void dispose() {
            _router.dispose();
            super.dispose();
          }

          @override
          Widget build(BuildContext context) {
            return MaterialApp.router(
              title: AppConfig.title,
              theme: AppTheme.light,
              darkTheme: AppTheme.dark,
              routerConfig: _router,
            );
          }
        }
        """, provider=provider, pkg=spec.package_name, router_arg=router_arg)


def main_dart(spec: ProductSpec) -> str:
    return render("""
        import 'package:flutter/material.dart';
        import 'package:provider/provider.dart';
        import 'package:{{pkg}}/app.dart';
        import 'package:{{pkg}}/config/dependencies.dart';

        Future<void> main() async {
          WidgetsFlutterBinding.ensureInitialized();
          final providers = await createProviders();
          runApp(MultiProvider(providers: providers, child: const App()));
        }
        """, pkg=spec.package_name)


def dependencies(spec: ProductSpec, codes: dict, has_auth: bool, auth_feature: str | None,
                 has_notifications: bool, has_share: bool) -> str:
    """lib/config/dependencies.dart: the one place that picks implementations."""
    pkg, backend = spec.package_name, spec.backend
    uris = ["package:provider/provider.dart", "package:provider/single_child_widget.dart"]
    setup, providers = [], []
    remote = backend != "none"
    if remote:
        uris.append(f"package:{pkg}/config/app_config.dart")
    if backend == "firebase":
        uris.append("package:firebase_core/firebase_core.dart")
        setup.append("if (!AppConfig.useLocalData) {\n  await Firebase.initializeApp();\n}")
    if backend == "supabase":
        uris.append("package:supabase_flutter/supabase_flutter.dart")
        setup.append("if (!AppConfig.useLocalData) {\n  await Supabase.initialize(\n"
                     "    url: AppConfig.supabaseUrl,\n    anonKey: AppConfig.supabaseAnonKey,\n  );\n}")
    if backend == "rest":
        uris.append(f"package:{pkg}/data/services/api_client.dart")
        providers.append("Provider<ApiClient>(\n  create: (_) => ApiClient(baseUrl: AppConfig.apiBaseUrl),\n),")
    if has_notifications:
        uris.append(f"package:{pkg}/data/services/notification_service.dart")
        setup.append("final notifications = LocalNotificationService();\nawait notifications.initialize();")
        providers.append("Provider<NotificationService>.value(value: notifications),")
    if has_share:
        uris.append(f"package:{pkg}/data/services/share_service.dart")
        providers.append("Provider<ShareService>(create: (_) => const ShareService()),")
    if has_auth and auth_feature:
        base = f"package:{pkg}/features/{auth_feature}/data"
        uris += [f"{base}/auth_repository.dart", f"{base}/local_auth_repository.dart"]
        if remote:
            uris.append(f"{base}/remote_auth_repository.dart")
            arg = "apiClient: context.read()" if backend == "rest" else ""
            providers.append("ChangeNotifierProvider<AuthRepository>(\n  create: (context) => "
                             "AppConfig.useLocalData\n      ? LocalAuthRepository()\n      : "
                             f"RemoteAuthRepository({arg}),\n),")
        else:
            providers.append("ChangeNotifierProvider<AuthRepository>(\n  create: (_) => LocalAuthRepository(),\n),")
    for code in codes.values():
        uris += [code.repository_uri, code.uri("data", f"local_{code.snake}_repository")]
        if remote:
            uris.append(code.uri("data", f"remote_{code.snake}_repository"))
            arg = "apiClient: context.read()" if backend == "rest" else ""
            providers.append(f"Provider<{code.repository}>(\n  create: (context) => AppConfig.useLocalData\n"
                             f"      ? Local{code.repository}()\n      : Remote{code.repository}({arg}),\n),")
        else:
            providers.append(f"Provider<{code.repository}>(\n  create: (_) => Local{code.repository}(),\n),")
    body = "\n".join(setup)
    return render("""
        {{imports}}

        /// Initialises platform services and returns every provider the app reads.
        Future<List<SingleChildWidget>> createProviders() async {
          {{setup}}
          return [
            {{providers}}
          ];
        }
        """, imports=imports(*uris), setup=indent(body, 2) if body else "// Nothing to initialise.",
        providers=indent("\n".join(providers), 4))
