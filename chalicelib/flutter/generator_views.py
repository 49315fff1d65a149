"""Screens of view features (charts, calendar, schedule, map, search, favourites, suggestions,
sharing) and of auth, settings and onboarding, each with its view model and widget test."""

from __future__ import annotations

from dataclasses import dataclass, field

from chalicelib.flutter import naming
from chalicelib.flutter.escape import dart_comment, dart_string
from chalicelib.flutter.generator_dart import (
    EntityCode,
    error_and_empty,
    imports,
    indent,
    pump_widget,
    render,
    sample_item,
    sample_list,
    sample_text,
    test_view_model,
    vm_constructor,
)
from chalicelib.flutter.spec import Feature, ProductSpec, Screen


@dataclass
class ViewFiles:
    """What a view feature contributes: files, and how the router builds its screen."""

    files: dict[str, str]
    builder: str
    router_imports: list[str] = field(default_factory=list)


def _collection_view_model(code: EntityCode, cls: str, extra: str, extra_imports: tuple = ()) -> str:
    """A view model loading every item of an entity, plus the feature's derived state."""
    return render("""
        {{imports}}

        /// State of the {{cls_doc}} screen, derived from every saved {{label}}.
        class {{cls}} extends ChangeNotifier {
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
          }{{extra}}
        }
        """, imports=imports("package:flutter/foundation.dart", code.model_uri, code.repository_uri,
                             f"package:{code.package}/utils/result.dart", *extra_imports),
        cls_doc=dart_comment(cls.removesuffix("ViewModel")), label=dart_comment(code.label),
        cls=cls, repo=code.repository, name=code.name,
        extra=("\n\n  " + indent(extra.strip(), 2)) if extra.strip() else "",
        ctor=indent(vm_constructor(cls, [f"required {code.repository} repository"],
                                   ["_repository = repository"]), 2))


def _states(code: EntityCode, empty: str, icon: str) -> str:
    """The loading/error/empty guard every data screen starts with (at column 10)."""
    return ("if (viewModel.isLoading && viewModel.items.isEmpty) {\n"
            "  return const LoadingView();\n}\n"
            + error_and_empty(code.plural_label.lower(), icon, empty, 10) + "\n\n")


def _screen_file(screen: Screen, code: EntityCode, body: str, title: str, vm_cls: str,
                 extra_imports: tuple = (), doc: str = "") -> str:
    return render("""
        {{imports}}

        /// {{doc}}
        class {{widget}} extends StatelessWidget {
          const {{widget}}({super.key, required this.viewModel});

          final {{vm}} viewModel;

          @override
          Widget build(BuildContext context) {
            return Scaffold(
              appBar: AppBar(title: const Text({{title}})),
              body: ListenableBuilder(
                listenable: viewModel,
                builder: (context, _) {
                  {{body}}
                },
              ),
            );
          }
        }
        """, imports=imports("package:flutter/material.dart", screen_vm_uri(screen, code.package),
                             f"package:{code.package}/ui/core/widgets/state_views.dart",
                             *extra_imports),
        doc=dart_comment(doc), widget=screen.widget, vm=vm_cls, title=dart_string(title),
        body=indent(body.strip(), 10))


def screen_vm_uri(screen: Screen, package: str) -> str:
    """The package import of a view screen's view model (next to the screen file)."""
    return f"package:{package}/" + screen.file.removeprefix("lib/").replace(
        "_screen.dart", "_view_model.dart")


def _vm_cls(screen: Screen) -> str:
    return screen.widget.removesuffix("Screen") + "ViewModel"


def _vm_path(screen: Screen) -> str:
    return screen.file.replace("_screen.dart", "_view_model.dart")


def _on_tap(detail_for: str) -> str:
    """`onTap:` opening an item's detail; tiles sit at up to column 18 in view screens."""
    one = f"onTap: () => context.push(Routes.{detail_for}(item.id)),"
    if 20 + len(one) <= 80:
        return one
    return f"onTap: () => context.push(\n  Routes.{detail_for}(item.id),\n),"


def _tile(code: EntityCode, routes: dict[str, str], trailing: str = "") -> str:
    trailing_line = f"\n  trailing: {trailing}," if trailing else ""
    return render("""
        ListTile(
          title: Text(item.headline),
          subtitle: Text(item.summary),{{trailing}}
          {{on_tap}}
        )""", trailing=trailing_line, on_tap=_on_tap(routes["detail_for"]))


def _test(screen: Screen, code: EntityCode, feature: Feature, expectation: str,
          items: str | None = None, extra_imports: tuple = (), setup: str = "") -> str:
    vm_args = f"repository: {code.fake}("
    if items is None:
        items = sample_list(code, 6 + len(vm_args), ")").removesuffix(")")
    return render("""
        {{imports}}

        void main() {
          testWidgets({{name}}, (tester) async {
            {{vm_line}}
            await viewModel.load();
            {{pump}}
            await tester.pump();

            {{expectation}}
          });
        }
        """, imports=imports("package:flutter/material.dart", "package:flutter_test/flutter_test.dart",
                             f"package:{code.package}/{screen.file.removeprefix('lib/')}",
                             screen_vm_uri(screen, code.package), code.model_uri,
                             f"../fakes/in_memory_{code.snake}_repository.dart", *extra_imports),
        name=dart_string(f"{screen.title} screen renders its data"),
        vm_line=indent(test_view_model(_vm_cls(screen), [vm_args + items + ")"]), 4),
        pump=indent(pump_widget(f"{screen.widget}(viewModel: viewModel{setup})"), 4),
        expectation=indent(expectation.strip(), 4))


def _test_path(screen: Screen, feature: Feature) -> str:
    return f"test/{feature.id}/{naming.snake_case(screen.widget)}_test.dart"


def _title_of_sample(code: EntityCode) -> str:
    title = code.title_field
    return sample_text(title) or "'1'"


def collection_view(spec: ProductSpec, feature: Feature, screen: Screen, code: EntityCode,
                    routes: dict[str, str]) -> ViewFiles:
    """Charts, calendar, schedule, map, search, favourites, suggestions and sharing screens."""
    kind, pkg, vm_cls = feature.kind, spec.package_name, _vm_cls(screen)
    routes_uri, display_uri = f"package:{pkg}/routing/routes.dart", code.display_uri
    go = "package:go_router/go_router.dart"
    builder = f"{screen.widget}(viewModel: {vm_cls}(repository: context.read())..load())"
    label = code.plural_label.lower()
    expect_title = f"expect(find.text({_title_of_sample(code)}), findsWidgets);"
    vm_imports: tuple = ()
    screen_imports: tuple = (display_uri, routes_uri, go)
    test_imports: tuple = ()
    setup = ""
    if kind == "charts":
        category, amount = code.category_field, code.amount_field
        value = (f"item.{amount.name}" if amount.dart_type == "double" else
                 f"item.{amount.name}.toDouble()") if amount else "1.0"
        extra = render("""

            /// Totals per {{category_label}}{{what}}, largest first.
            List<MapEntry<String, double>> get totals {
              final sums = <String, double>{};
              for (final item in _items) {{{skip}}
                final key = item.{{category}}{{label_of}};
                sums[key] = (sums[key] ?? 0) + {{value}};
              }
              return sums.entries.toList()
                ..sort((a, b) => b.value.compareTo(a.value));
            }
            """, category_label=dart_comment(category.label.lower()), category=category.name,
            label_of=".label" if category.choices else "",
            what=" (spending only)" if code.entity.field("isIncome") else "",
            value=value, skip=("\n    if (item.isIncome) {\n      continue;\n    }"
                               if code.entity.field("isIncome") else ""))
        body = _states(code, f"No {label} to chart yet.", "bar_chart") + render("""

            final totals = viewModel.totals;
            final colors = Theme.of(context).colorScheme;
            return ListView(
              padding: const EdgeInsets.all(16),
              children: [
                SizedBox(
                  height: 240,
                  child: BarChart(
                    BarChartData(
                      barGroups: [
                        for (var i = 0; i < totals.length; i++)
                          BarChartGroupData(
                            x: i,
                            barRods: [
                              BarChartRodData(
                                toY: totals[i].value,
                                color: colors.primary,
                              ),
                            ],
                          ),
                      ],
                      titlesData: FlTitlesData(
                        topTitles: const AxisTitles(
                          sideTitles: SideTitles(showTitles: false),
                        ),
                        rightTitles: const AxisTitles(
                          sideTitles: SideTitles(showTitles: false),
                        ),
                        bottomTitles: AxisTitles(
                          sideTitles: SideTitles(
                            showTitles: true,
                            getTitlesWidget: (value, meta) {
                              final index = value.toInt();
                              if (index < 0 || index >= totals.length) {
                                return const SizedBox.shrink();
                              }
                              return Text(
                                totals[index].key,
                                overflow: TextOverflow.ellipsis,
                              );
                            },
                          ),
                        ),
                      ),
                    ),
                  ),
                ),
                const SizedBox(height: 16),
                for (final entry in totals)
                  ListTile(
                    title: Text(entry.key),
                    trailing: Text(formatNumber(entry.value)),
                  ),
              ],
            );""")
        screen_imports = ("package:fl_chart/fl_chart.dart",
                          f"package:{pkg}/ui/core/formatters.dart")
        cat_sample = sample_text(category) or dart_string(f"{category.label} 1")
        expectation = f"expect(find.byType(BarChart), findsOneWidget);\nexpect(find.text({cat_sample}), findsWidgets);"
        test_imports = ("package:fl_chart/fl_chart.dart",)
    elif kind in ("calendar", "schedule"):
        date = code.date_field
        assert date is not None, "calendar and schedule need a dated entity"
        extra = render("""

            DateTime _selectedDay = DateTime.now();

            /// The day whose {{label}} are listed.
            DateTime get selectedDay => _selectedDay;

            /// Shows the {{label}} of [day].
            void selectDay(DateTime day) {
              _selectedDay = day;
              notifyListeners();
            }

            /// Moves the selection by [days] days.
            void moveBy(int days) => selectDay(_selectedDay.add(Duration(days: days)));

            /// The {{label}} on [day], in time order.
            List<{{name}}> itemsOn(DateTime day) {
              return _items.where((item) {
                final date = item.{{date}};
                return date != null &&
                    date.year == day.year &&
                    date.month == day.month &&
                    date.day == day.day;
              }).toList()
                ..sort((a, b) => a.{{date}}!.compareTo(b.{{date}}!));
            }
            """, label=dart_comment(label), name=code.name, date=date.name)
        if date.required:
            extra = extra.replace("final date = item.", "final DateTime? date = item.").replace(
                f"a.{date.name}!.compareTo(b.{date.name}!)", f"a.{date.name}.compareTo(b.{date.name})")
        day_list = render("""
            if (dayItems.isEmpty)
              const Padding(
                padding: EdgeInsets.all(24),
                child: Text(
                  {{empty}},
                  textAlign: TextAlign.center,
                ),
              ),
            for (final item in dayItems)
              {{tile}},""", empty=dart_string(f"No {label} on this day."),
            tile=indent(_tile(code, routes), 2))
        if kind == "calendar":
            body = _states(code, "", "") + render("""

                final dayItems = viewModel.itemsOn(viewModel.selectedDay);
                return ListView(
                  children: [
                    TableCalendar<{{name}}>(
                      firstDay: DateTime.utc(2000, 1, 1),
                      lastDay: DateTime.utc(2100, 12, 31),
                      focusedDay: viewModel.selectedDay,
                      selectedDayPredicate: (day) =>
                          isSameDay(day, viewModel.selectedDay),
                      onDaySelected: (selectedDay, focusedDay) =>
                          viewModel.selectDay(selectedDay),
                      eventLoader: viewModel.itemsOn,
                    ),
                    const Divider(),
                    {{day_list}}
                  ],
                );""", name=code.name, day_list=indent(day_list, 4))
            screen_imports += ("package:table_calendar/table_calendar.dart", code.model_uri)
            expectation = "expect(find.byType(TableCalendar<" + code.name + ">), findsOneWidget);"
            test_imports = ("package:table_calendar/table_calendar.dart", code.model_uri)
        else:
            body = _states(code, "", "") + render("""

                final dayItems = viewModel.itemsOn(viewModel.selectedDay);
                return ListView(
                  children: [
                    ListTile(
                      leading: IconButton(
                        tooltip: 'Previous day',
                        icon: const Icon(Icons.chevron_left),
                        onPressed: () => viewModel.moveBy(-1),
                      ),
                      title: Text(
                        formatDate(viewModel.selectedDay),
                        textAlign: TextAlign.center,
                      ),
                      trailing: IconButton(
                        tooltip: 'Next day',
                        icon: const Icon(Icons.chevron_right),
                        onPressed: () => viewModel.moveBy(1),
                      ),
                    ),
                    const Divider(),
                    {{day_list}}
                  ],
                );""", day_list=indent(day_list, 4))
            screen_imports += (f"package:{pkg}/ui/core/formatters.dart",)
            expectation = ("expect(find.byTooltip('Next day'), findsOneWidget);\n"
                           f"expect(find.text({_title_of_sample(code)}), findsNothing);\n"
                           "viewModel.selectDay(DateTime(2030, 1, 1));\nawait tester.pump();\n"
                           f"{expect_title}")
    elif kind == "map":
        extra = render("""

            /// Items with usable coordinates.
            List<{{name}}> get located => _items
                .where((item) => item.latitude != 0 || item.longitude != 0)
                .toList();
            """, name=code.name)
        body = _states(code, "", "") + render("""

            final located = viewModel.located;
            final points = [
              for (final item in located) LatLng(item.latitude, item.longitude),
            ];
            return FlutterMap(
              // With positions the map fits them all; without, it opens on the
              // default centre from AppConfig.
              options: MapOptions(
                initialCenter: const LatLng(
                  AppConfig.defaultMapLatitude,
                  AppConfig.defaultMapLongitude,
                ),
                initialZoom: AppConfig.defaultMapZoom,
                initialCameraFit: points.isEmpty
                    ? null
                    : CameraFit.coordinates(
                        coordinates: points,
                        padding: const EdgeInsets.all(48),
                        maxZoom: AppConfig.maxMapFitZoom,
                      ),
              ),
              children: [
                if (showTiles)
                  TileLayer(
                    urlTemplate: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
                    userAgentPackageName: {{agent}},
                  ),
                MarkerLayer(
                  markers: [
                    for (final item in located)
                      Marker(
                        point: LatLng(item.latitude, item.longitude),
                        width: 48,
                        height: 48,
                        child: IconButton(
                          tooltip: item.headline,
                          icon: const Icon(Icons.location_on, size: 36),
                          onPressed: () => context.push(
                            Routes.{{detail_for}}(item.id),
                          ),
                        ),
                      ),
                  ],
                ),
                const RichAttributionWidget(
                  attributions: [
                    TextSourceAttribution('OpenStreetMap contributors'),
                  ],
                ),
              ],
            );""", agent=dart_string(f"com.example.{pkg}"), detail_for=routes["detail_for"])
        screen_imports += ("package:flutter_map/flutter_map.dart", "package:latlong2/latlong.dart",
                           f"package:{pkg}/config/app_config.dart")
        expectation = f"expect(find.byTooltip({_title_of_sample(code)}), findsOneWidget);"
        setup = ", showTiles: false"
    elif kind == "search":
        extra = render("""

            String _query = '';

            /// The text being searched for.
            String get query => _query;

            /// Items whose text contains the query, ignoring case.
            List<{{name}}> get results {
              final query = _query.trim().toLowerCase();
              if (query.isEmpty) {
                return _items;
              }
              return _items
                  .where((item) =>
                      item.headline.toLowerCase().contains(query) ||
                      item.summary.toLowerCase().contains(query))
                  .toList();
            }

            /// Updates the query and the results.
            void search(String query) {
              _query = query;
              notifyListeners();
            }
            """, name=code.name)
        vm_imports = (display_uri,)
        body = _states(code, "", "") + render("""

            final results = viewModel.results;
            return Column(
              children: [
                Padding(
                  padding: const EdgeInsets.all(16),
                  child: TextField(
                    decoration: const InputDecoration(
                      labelText: 'Search',
                      prefixIcon: Icon(Icons.search),
                    ),
                    onChanged: viewModel.search,
                  ),
                ),
                Expanded(
                  child: results.isEmpty
                      ? const EmptyView(
                          icon: Icons.search_off,
                          message: 'Nothing matches.',
                        )
                      : ListView.builder(
                          itemCount: results.length,
                          itemBuilder: (context, index) {
                            final item = results[index];
                            return {{tile}};
                          },
                        ),
                ),
              ],
            );""", tile=indent(_tile(code, routes), 14))
        expectation = (f"{expect_title}\nawait tester.enterText(find.byType(TextField), 'zzz');\n"
                       "await tester.pump();\nexpect(find.text('Nothing matches.'), findsOneWidget);")
    elif kind == "favourites":
        extra = render("""

            /// Only the starred items.
            List<{{name}}> get favourites =>
                _items.where((item) => item.isFavourite).toList();

            /// Stars or unstars [item].
            Future<void> toggle({{name}} item) async {
              await _repository.save(
                item.copyWith(isFavourite: !item.isFavourite),
              );
              await load();
            }
            """, name=code.name)
        star = render("""
            IconButton(
              tooltip: 'Remove from favourites',
              icon: const Icon(Icons.star),
              onPressed: () => viewModel.toggle(item),
            )""")
        body = _states(code, "", "") + render("""

            final favourites = viewModel.favourites;
            if (favourites.isEmpty) {
              return const EmptyView(
                icon: Icons.star_border,
                message: 'No favourites yet. Tap the star on an item to add it.',
              );
            }
            return ListView.builder(
              itemCount: favourites.length,
              itemBuilder: (context, index) {
                final item = favourites[index];
                return {{tile}};
              },
            );""", tile=indent(_tile(code, routes, trailing=indent(star, 2)), 4))
        starred = "[\n  " + indent(sample_item(code, 1, 8, ".copyWith(isFavourite: true),"), 2) + "\n]"
        expectation = f"{expect_title}\nexpect(find.byTooltip('Remove from favourites'), findsOneWidget);"
        return _finish(spec, feature, screen, code, vm_cls, extra, vm_imports, body, screen_imports,
                       expectation, starred, test_imports, setup, builder)
    elif kind == "suggestions":
        date = code.date_field
        assert date is not None, "suggestions need a dated entity"
        extra = render("""

            /// Items that need attention soonest, first.
            List<{{name}}> get soonest {
              final dated = _items.where((item) => item.{{date}} != null).toList()
                ..sort((a, b) => a.{{date}}!.compareTo(b.{{date}}!));
              return dated;
            }

            /// Items due within the next [days] days.
            List<{{name}}> dueWithin(int days) {
              final limit = DateTime.now().add(Duration(days: days));
              return soonest.where((item) => item.{{date}}!.isBefore(limit)).toList();
            }
            """, name=code.name, date=date.name)
        if date.required:
            extra = extra.replace(f".where((item) => item.{date.name} != null).toList()",
                                  ".toList()").replace(f"{date.name}!", date.name)
        body = _states(code, f"No {label} yet. Add some to get suggestions.", "lightbulb") + render("""

            final soonest = viewModel.soonest;
            final first = soonest.take(3).map((item) => item.headline).join(', ');
            return ListView(
              padding: const EdgeInsets.all(16),
              children: [
                Card(
                  child: ListTile(
                    leading: const Icon(Icons.lightbulb),
                    title: const Text('Use these first'),
                    subtitle: Text(
                      first.isEmpty ? {{none}} : first,
                    ),
                  ),
                ),
                const SizedBox(height: 8),
                for (final item in soonest)
                  {{tile}},
              ],
            );""", none=dart_string(f"No dated {label}."), tile=indent(_tile(code, routes), 6))
        expectation = f"expect(find.text('Use these first'), findsOneWidget);\n{expect_title}"
    else:  # sharing
        extra = ""
        share = render("""
            IconButton(
              tooltip: 'Share',
              icon: const Icon(Icons.share),
              onPressed: () => context.read<ShareService>().share(
                '${item.headline}\\n${item.summary}',
              ),
            )""")
        body = _states(code, f"No {label} to share yet.", "share") + render("""

            return ListView.builder(
              itemCount: viewModel.items.length,
              itemBuilder: (context, index) {
                final item = viewModel.items[index];
                return {{tile}};
              },
            );""", tile=indent(_tile(code, routes, trailing=indent(share, 2)), 4))
        screen_imports += ("package:provider/provider.dart",
                           f"package:{pkg}/data/services/share_service.dart")
        expectation = f"{expect_title}\nexpect(find.byTooltip('Share'), findsOneWidget);"
    return _finish(spec, feature, screen, code, vm_cls, extra, vm_imports, body, screen_imports,
                   expectation, None, test_imports, setup, builder)


def _finish(spec: ProductSpec, feature: Feature, screen: Screen, code: EntityCode, vm_cls: str,
            extra: str, vm_imports: tuple, body: str, screen_imports: tuple, expectation: str,
            items: str | None, test_imports: tuple, setup: str, builder: str) -> ViewFiles:
    """Assemble the view model, screen and test of a collection view."""
    screen_text = _screen_file(screen, code, body, screen.title, vm_cls, screen_imports,
                               doc=feature.summary)
    if feature.kind == "map":
        screen_text = screen_text.replace(
            f"  const {screen.widget}({{super.key, required this.viewModel}});\n\n"
            f"  final {vm_cls} viewModel;",
            f"  const {screen.widget}({{super.key, required this.viewModel, this.showTiles = true}});"
            f"\n\n  final {vm_cls} viewModel;\n\n"
            "  /// Whether to load map tiles from the network (widget tests turn it off).\n"
            "  final bool showTiles;")
    return ViewFiles(files={
        _vm_path(screen): _collection_view_model(code, vm_cls, extra, vm_imports),
        screen.file: screen_text,
        _test_path(screen, feature): _test(screen, code, feature, expectation, items,
                                           test_imports, setup),
    }, builder=builder, router_imports=[f"package:{spec.package_name}/{screen.file[4:]}",
                                        screen_vm_uri(screen, spec.package_name)])


def static_view(spec: ProductSpec, feature: Feature, screen: Screen) -> ViewFiles:
    """Settings (theme choice for this session) and onboarding (intro pages) need no repository."""
    pkg = spec.package_name
    if feature.kind == "onboarding":
        pages = [spec.app_name, spec.description] + [f.title for f in spec.features
                                                     if f.kind != "onboarding"][:3]
        page_literals = ",\n".join(f"  {dart_string(p)}" for p in pages)
        body = render("""
            import 'package:flutter/material.dart';
            import 'package:go_router/go_router.dart';
            import 'package:{{pkg}}/routing/routes.dart';

            const _pages = [
            {{pages}},
            ];

            /// {{doc}}
            class {{widget}} extends StatelessWidget {
              const {{widget}}({super.key});

              @override
              Widget build(BuildContext context) {
                return Scaffold(
                  appBar: AppBar(title: const Text({{title}})),
                  body: PageView(
                    children: [
                      for (final page in _pages)
                        Padding(
                          padding: const EdgeInsets.all(32),
                          child: Center(
                            child: Text(
                              page,
                              textAlign: TextAlign.center,
                              style: Theme.of(context).textTheme.headlineSmall,
                            ),
                          ),
                        ),
                    ],
                  ),
                  bottomNavigationBar: Padding(
                    padding: const EdgeInsets.all(16),
                    child: FilledButton(
                      onPressed: () => context.go(Routes.home),
                      child: const Text('Get started'),
                    ),
                  ),
                );
              }
            }
            """, pkg=pkg, pages=page_literals, doc=dart_comment(feature.summary),
            widget=screen.widget, title=dart_string(screen.title))
        expectation = "expect(find.text('Get started'), findsOneWidget);"
    else:
        body = render("""
            import 'package:flutter/material.dart';
            import 'package:{{pkg}}/config/app_config.dart';

            /// {{doc}}
            class {{widget}} extends StatelessWidget {
              const {{widget}}({super.key});

              @override
              Widget build(BuildContext context) {
                return Scaffold(
                  appBar: AppBar(title: const Text({{title}})),
                  body: ListView(
                    children: [
                      const ListTile(
                        leading: Icon(Icons.brightness_6),
                        title: Text('Theme'),
                        subtitle: Text('Follows the system light or dark setting'),
                      ),
                      ListTile(
                        leading: const Icon(Icons.info_outline),
                        title: const Text('About'),
                        onTap: () => showAboutDialog(
                          context: context,
                          applicationName: AppConfig.title,
                        ),
                      ),
                    ],
                  ),
                );
              }
            }
            """, pkg=pkg, doc=dart_comment(feature.summary), widget=screen.widget,
            title=dart_string(screen.title))
        expectation = "expect(find.text('About'), findsOneWidget);"
    test = render("""
        import 'package:flutter/material.dart';
        import 'package:flutter_test/flutter_test.dart';
        import 'package:{{pkg}}/{{file}}';

        void main() {
          testWidgets({{name}}, (tester) async {
            {{pump}}
            {{expectation}}
          });
        }
        """, pkg=pkg, file=screen.file.removeprefix("lib/"),
        name=dart_string(f"{screen.title} screen renders"),
        pump=indent(pump_widget(f"{screen.widget}()", const=True), 4),
        expectation=expectation)
    return ViewFiles(files={screen.file: body, _test_path(screen, feature): test},
                     builder=f"const {screen.widget}()",
                     router_imports=[f"package:{pkg}/{screen.file.removeprefix('lib/')}"])
