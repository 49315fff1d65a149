"""From a job's free text to a ProductSpec: feature kinds, entities with typed fields, screens, stories."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import get_args

from chalicelib.domain.spec import JobSpec
from chalicelib.flutter import naming
from chalicelib.flutter.spec import (
    Entity,
    EntityField,
    Feature,
    FeatureKind,
    Navigation,
    NavigationDestination,
    NonFunctionalRequirement,
    ProductSpec,
    Screen,
    UserStory,
    enum_type_name,
)

SEED_COLORS = {
    "modern": "#4F46E5",
    "minimal": "#546E7A",
    "material": "#6750A4",
    "playful": "#FF6F61",
    "dark": "#00897B",
    "corporate": "#1E88E5",
    "elegant": "#6D4C41",
    "nature": "#2E7D32",
}
_FALLBACK_SEEDS = ["#00897B", "#8E24AA", "#F4511E", "#3949AB", "#43A047"]

# Keywords (transliterated lowercase words) that name a kind, checked in this order.
_KIND_KEYWORDS: list[tuple[FeatureKind, frozenset[str]]] = [
    ("auth", frozenset({"auth", "login", "signin", "signup", "register", "authentication", "log"})),
    ("onboarding", frozenset({"onboarding", "intro", "welcome", "tutorial", "walkthrough"})),
    ("settings", frozenset({"settings", "preferences", "setting"})),
    ("reminders", frozenset({"reminder", "reminders", "notification", "notifications", "alert",
                             "alerts", "notify", "remind"})),
    ("charts", frozenset({"chart", "charts", "graph", "graphs", "stats", "statistics", "analytics",
                          "report", "reports", "insights"})),
    ("calendar", frozenset({"calendar", "availability", "slots"})),
    ("schedule", frozenset({"schedule", "agenda", "timetable", "roster"})),
    ("map", frozenset({"map", "maps", "nearby"})),
    ("search", frozenset({"search", "find", "filter", "lookup"})),
    ("favourites", frozenset({"favourite", "favourites", "favorite", "favorites", "starred",
                              "bookmark", "bookmarks", "wishlist"})),
    ("sharing", frozenset({"share", "sharing"})),
    ("suggestions", frozenset({"suggestion", "suggestions", "suggest", "recommendation",
                               "recommendations", "ideas"})),
]

_STOP_WORDS = frozenset(
    {"list", "lists", "manage", "management", "manager", "tracker", "tracking", "track", "my", "the",
     "of", "and", "a", "an", "for", "with", "crud", "screen", "page", "view", "feature", "module",
     "add", "edit", "new", "all", "simple", "basic", "your", "our", "to", "in", "on"}
)


@dataclass(frozen=True)
class _Blueprint:
    """A known entity: its name, label, fields and the keywords that select it."""

    name: str
    plural_label: str
    keywords: frozenset[str]
    fields: tuple[EntityField, ...]


def _f(name: str, dart_type: str, label: str, required: bool = True, with_time: bool = False) -> EntityField:
    """Shorthand for a field in the blueprint table."""
    return EntityField(name=name, dart_type=dart_type, label=label, required=required,
                       with_time=with_time)


_BLUEPRINTS: list[_Blueprint] = [
    _Blueprint("PantryItem", "Pantry items", frozenset({"pantry", "inventory", "fridge", "food"}), (
        _f("name", "String", "Name"), _f("quantity", "int", "Quantity"),
        _f("location", "String", "Location"), _f("expiryDate", "DateTime", "Expiry date"))),
    _Blueprint("ShoppingItem", "Shopping items", frozenset({"shopping", "groceries", "grocery"}), (
        _f("name", "String", "Name"), _f("quantity", "int", "Quantity"),
        _f("isBought", "bool", "Bought"))),
    _Blueprint("TransactionRecord", "Transactions",
               frozenset({"transaction", "transactions", "expense", "expenses", "income", "spending",
                          "payments"}), (
        _f("title", "String", "Title"), _f("amount", "double", "Amount"),
        _f("category", "String", "Category"), _f("date", "DateTime", "Date"),
        _f("isIncome", "bool", "Income"), _f("note", "String", "Note", required=False))),
    _Blueprint("Budget", "Budgets", frozenset({"budget", "budgets"}), (
        _f("category", "String", "Category"), _f("monthlyLimit", "double", "Monthly limit"),
        _f("note", "String", "Note", required=False))),
    _Blueprint("Appointment", "Appointments",
               frozenset({"appointment", "appointments", "booking", "bookings", "book", "visit"}), (
        _f("patientName", "String", "Patient name"),
        _f("startsAt", "DateTime", "Starts at", with_time=True),
        _f("reason", "String", "Reason"), _f("notes", "String", "Notes", required=False))),
    _Blueprint("Reminder", "Reminders", frozenset({"reminder", "reminders", "notification",
                                                     "notifications", "alert", "alerts"}), (
        _f("title", "String", "Title"), _f("remindAt", "DateTime", "Remind at", with_time=True),
        _f("note", "String", "Note", required=False), _f("isEnabled", "bool", "Enabled"))),
    _Blueprint("QuestionnaireResponse", "Questionnaires",
               frozenset({"questionnaire", "survey", "questionnaires", "intake"}), (
        _f("patientName", "String", "Full name"),
        _f("allergies", "String", "Allergies", required=False),
        _f("medications", "String", "Current medications", required=False),
        _f("conditions", "String", "Medical conditions", required=False),
        _f("isSmoker", "bool", "I smoke"), _f("consentGiven", "bool", "I confirm this is accurate"))),
    _Blueprint("Deal", "Deals", frozenset({"deal", "deals", "offer", "offers", "coupon", "coupons"}), (
        _f("title", "String", "Title"), _f("store", "String", "Store"),
        _f("price", "double", "Price"), _f("link", "String", "Link", required=False),
        _f("validUntil", "DateTime", "Valid until", required=False))),
    _Blueprint("Profile", "Profiles", frozenset({"profile", "profiles", "account"}), (
        _f("displayName", "String", "Display name"), _f("email", "String", "Email"),
        _f("phone", "String", "Phone", required=False))),
]


def _words(text: str) -> list[str]:
    return naming.words(text)


def _kind_of(text: str) -> FeatureKind:
    """The known kind a free-text feature names; anything else is CRUD of its noun."""
    found = set(_words(text))
    if {"shopping", "budget", "budgets", "transactions", "inventory"} & found:
        return "crud"
    if "staff" in found and "schedule" in found:
        return "schedule"
    for kind, keywords in _KIND_KEYWORDS:
        if keywords & found:
            return kind
    return "crud"


def _blueprint_for(text: str) -> _Blueprint | None:
    """The catalog entity whose keywords the text mentions, if any."""
    found = set(_words(text))
    return next((b for b in _BLUEPRINTS if b.keywords & found), None)


def _noun_entity(text: str) -> Entity:
    """An entity for an unknown feature, named after its main noun ("deals list" -> Deal)."""
    nouns = [w for w in _words(text) if w not in _STOP_WORDS and not w.isdigit()] or ["item"]
    noun = naming.singular(nouns[-1])
    label = " ".join(nouns[:-1] + [noun])
    name = naming.type_name(label)
    plural_label = " ".join(nouns[:-1] + [naming.plural(noun)]).capitalize()
    return Entity(name=name, plural_label=plural_label,
                  collection=naming.snake_case(plural_label),
                  fields=[_f("name", "String", "Name"),
                          _f("description", "String", "Description", required=False)])


def _entity_from(blueprint: _Blueprint) -> Entity:
    return Entity(name=blueprint.name, plural_label=blueprint.plural_label,
                  collection=naming.snake_case(blueprint.plural_label),
                  fields=[f.model_copy(deep=True) for f in blueprint.fields])


_REMINDER_NOUNS = frozenset({"reminder", "reminders", "notification", "notifications", "alert", "alerts"})


def _reminder_entity(text: str) -> Entity:
    """The Reminder entity, labelled in the request's words ("notifications", "expiry reminders")
    when they end in a reminder noun, so home tile, screens and routes share one name."""
    entity = _entity_from(next(b for b in _BLUEPRINTS if b.name == "Reminder"))
    found = _words(text)
    if found and found[-1] in _REMINDER_NOUNS:
        clean = " ".join(text.split()).strip(" .,;")
        head, _, last = clean.rpartition(" ")
        label = f"{head} {naming.plural(naming.singular(last.lower()))}".strip()
        entity.plural_label = label[:1].upper() + label[1:]
        entity.collection = naming.snake_case(entity.plural_label)
    return entity

def _title(text: str) -> str:
    clean = " ".join(text.split()).strip(" .,;")
    return clean[:1].upper() + clean[1:] if clean else "Feature"


class _SpecBuilder:
    """Accumulates entities and features while the request is read; one instance per job."""

    def __init__(self, job: JobSpec, known_kinds: dict[str, str] | None = None) -> None:
        self.job = job
        self.entities: dict[str, Entity] = {}
        self.features: list[Feature] = []
        self.known_kinds = {text: kind for text, kind in (known_kinds or {}).items() if kind in get_args(FeatureKind)}

    def add_entity(self, entity: Entity) -> Entity:
        return self.entities.setdefault(entity.name, entity)

    def unique_id(self, text: str) -> str:
        base = naming.feature_id(text)
        taken = {f.id for f in self.features}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}_{n}", n + 1
        return candidate

    def crud_entity_for(self, text: str) -> Entity:
        """The entity a CRUD-like feature manages, chosen from its words, then the description."""
        blueprint = _blueprint_for(text)
        if blueprint is None and set(_words(text)) & {"items", "inventory", "stock", "item"}:
            blueprint = _blueprint_for(self.job.description)
        return self.add_entity(_entity_from(blueprint) if blueprint else _noun_entity(text))

    def managed(self) -> set[str]:
        """Entities that already have a CRUD-like feature managing them."""
        return {f.entity for f in self.features if f.kind in ("crud", "reminders") and f.entity}

    def distinct_noun_entity(self, text: str) -> Entity:
        """A noun entity for a feature whose catalog entity is already managed by another one."""
        entity = _noun_entity(text)
        base, n = entity.name, 2
        while entity.name in self.entities:
            entity = entity.model_copy(update={"name": f"{base}{n}",
                                               "plural_label": f"{entity.plural_label} {n}",
                                               "collection": f"{entity.collection}_{n}"})
            n += 1
        return entity

    def primary_entity(self, prefer: str | None = None) -> Entity | None:
        """The entity a view feature (map, search, charts...) works on."""
        managed = [self.entities[f.entity] for f in self.features if f.kind == "crud" and f.entity]
        candidates = managed or list(self.entities.values())
        if prefer == "dated_with_time":
            for entity in candidates:
                if any(fl.dart_type == "DateTime" and fl.with_time for fl in entity.fields):
                    return entity
        if prefer == "dated":
            for entity in candidates:
                if any(fl.dart_type == "DateTime" for fl in entity.fields):
                    return entity
        if prefer == "amount":
            for entity in candidates:
                if any(fl.dart_type == "double" for fl in entity.fields):
                    return entity
        return candidates[0] if candidates else None



# "locations (fridge, freezer, shelf)": a noun naming a field, then its allowed values in parentheses.
_CHOICE_LIST = re.compile(r"([^\s(),.;:]+(?:\s+[^\s(),.;:]+)?)\s*\(([^()]{3,200})\)")
# Words in other languages (transliterated) that name a field; the English ones come from the field.
_FIELD_SYNONYMS = {"hang muc": "category", "danh muc": "category", "loai": "category",
                   "muc": "category", "vi tri": "location", "noi": "location"}
_EXAMPLE_MARKERS = ("e.g", "eg ", "such as", "like ", "for example", "etc", "...", "…", "ví dụ")


def _choice_values(inside: str) -> list[str]:
    """The listed values inside parentheses, or [] when they are not a closed list of short names."""
    lowered = inside.strip().lower()
    if any(marker in lowered for marker in _EXAMPLE_MARKERS):
        return []
    parts = [p.strip() for p in re.split(r",|;|/", inside)]
    parts = [re.sub(r"^(?:and|or|và|hoặc)\s+", "", p, flags=re.IGNORECASE).strip() for p in parts]
    if not 2 <= len(parts) <= 12:
        return []
    if any(not p or len(p) > 30 or len(p.split()) > 4 or not naming.words(p) or '"' in p
           or p.replace(".", "").isdigit() for p in parts):
        return []
    if len({naming.lower_camel(p) for p in parts}) != len(parts):
        return []
    return parts


def _named_field(noun: str) -> str | None:
    """The field name a noun (or two words) before a parenthesis stands for."""
    found = naming.words(noun)
    for size in (2, 1):
        phrase = " ".join(found[-size:])
        if phrase in _FIELD_SYNONYMS:
            return _FIELD_SYNONYMS[phrase]
    return naming.singular(found[-1]) if found else None


def _apply_choices(builder: _SpecBuilder) -> None:
    """Fields whose allowed values the description lists, like "locations (fridge, freezer, shelf)".

    Only a String field named by the word right before the parentheses gets them, and only when
    the parentheses hold a closed list of two or more short values (no "e.g.", no quotes).
    """
    for match in _CHOICE_LIST.finditer(builder.job.description or ""):
        values = _choice_values(match.group(2))
        field_name = _named_field(match.group(1)) if values else None
        if not field_name:
            continue
        for entity in builder.entities.values():
            entity.fields = [f.model_copy(update={"choices": list(values),
                                                  "enum_type": enum_type_name(entity.name, f.name)})
                             if f.dart_type == "String" and not f.choices
                             and naming.words(f.name) == [field_name] else f for f in entity.fields]


_VIEW_NEEDS = {"charts": "amount", "calendar": "dated_with_time", "schedule": "dated_with_time",
               "suggestions": "dated", "map": None, "search": None, "favourites": None,
               "sharing": None}


def _summary(kind: FeatureKind, entity: Entity | None) -> str:
    label = entity.plural_label.lower() if entity else "items"
    return {
        "auth": "Sign in with email and password before using the app.",
        "crud": f"List, view, add, edit and delete {label}.",
        "reminders": "Schedule local notifications and manage them in a list.",
        "charts": f"See {label} summarised by category in a chart.",
        "calendar": f"Browse {label} on a month calendar.",
        "schedule": f"See the {label} of a chosen day in time order.",
        "map": f"See {label} as markers on a map.",
        "search": f"Search {label} by text.",
        "favourites": f"Star {label} and see the starred ones together.",
        "sharing": f"Share {label} with other apps.",
        "settings": "Choose light, dark or system theme.",
        "onboarding": "A short introduction shown to new users.",
        "suggestions": f"Suggestions based on the {label} that need attention first.",
    }[kind]


def _ensure_view_fields(kind: FeatureKind, entity: Entity) -> None:
    """Give the entity the fields a view needs (coordinates for maps, a star for favourites)."""
    names = {f.name for f in entity.fields}
    if kind == "map" and "latitude" not in names:
        entity.fields += [_f("latitude", "double", "Latitude"), _f("longitude", "double", "Longitude")]
    if kind == "favourites" and "isFavourite" not in names:
        entity.fields.append(_f("isFavourite", "bool", "Favourite"))


def _features(builder: _SpecBuilder) -> None:
    """Map every requested feature onto a kind; views come after CRUD so they find their entity."""
    requested = [t for t in (s.strip() for s in builder.job.features) if t] or ["items"]
    kinds = [(text, builder.known_kinds.get(text.lower()) or _kind_of(text)) for text in requested]
    ordered = [k for k in kinds if k[1] in ("crud", "reminders", "auth")] + [
        k for k in kinds if k[1] not in ("crud", "reminders", "auth")]
    for text, kind in ordered:
        entity: Entity | None = None
        if kind == "reminders" and "Reminder" in builder.managed():
            kind = "crud"
        if kind == "crud":
            entity = builder.crud_entity_for(text)
            if entity.name in builder.managed():
                entity = builder.add_entity(builder.distinct_noun_entity(text))
        elif kind == "reminders":
            entity = builder.add_entity(_reminder_entity(text))
        elif kind in _VIEW_NEEDS:
            entity = builder.primary_entity(_VIEW_NEEDS[kind])
            if entity is None:
                entity = builder.crud_entity_for(builder.job.description or builder.job.name)
                builder.features.append(Feature(
                    id=builder.unique_id(entity.plural_label), kind="crud",
                    title=entity.plural_label, entity=entity.name,
                    source=f"(needed by: {text})", summary=_summary("crud", entity)))
            _ensure_view_fields(kind, entity)
        # A feature that manages an entity is called what its list screen is called, everywhere.
        manages = kind in ("crud", "reminders") and entity is not None
        builder.features.append(Feature(
            id=builder.unique_id(entity.plural_label if kind == "crud" and entity else text),
            kind=kind, title=entity.plural_label if manages and entity else _title(text),
            entity=entity.name if entity else None, source=text,
            summary=_summary(kind, entity)))
    order = {text: i for i, text in enumerate(requested)}
    builder.features.sort(key=lambda f: order.get(f.source, -1))


def _route_base(entity: Entity) -> str:
    return "/" + naming.slug(entity.plural_label)


def _screens(features: list[Feature], entities: dict[str, Entity]) -> list[Screen]:
    """One or more routed screens per feature, plus the home screen."""
    screens = [Screen(name="Home", feature="home", kind="home", title="Home", route="/",
                      widget="HomeScreen", file="lib/ui/home/home_screen.dart", is_home=True)]
    for feature in features:
        folder = f"lib/features/{feature.id}/ui"
        if feature.kind in ("crud", "reminders"):
            entity = entities[feature.entity or ""]
            base, snake = _route_base(entity), naming.snake_case(entity.name)
            screens += [
                Screen(name=f"{entity.name}List", feature=feature.id, kind="list",
                       title=entity.plural_label, route=base, widget=f"{entity.name}ListScreen",
                       file=f"{folder}/{snake}_list_screen.dart"),
                Screen(name=f"{entity.name}New", feature=feature.id, kind="form",
                       title=f"New {naming.singular(entity.plural_label.lower())}",
                       route=f"{base}/new", widget=f"{entity.name}FormScreen",
                       file=f"{folder}/{snake}_form_screen.dart"),
                Screen(name=f"{entity.name}Detail", feature=feature.id, kind="detail",
                       title=entity.plural_label, route=f"{base}/:id",
                       widget=f"{entity.name}DetailScreen",
                       file=f"{folder}/{snake}_detail_screen.dart", route_params=["id"]),
                Screen(name=f"{entity.name}Edit", feature=feature.id, kind="form",
                       title=f"Edit {naming.singular(entity.plural_label.lower())}",
                       route=f"{base}/:id/edit", widget=f"{entity.name}FormScreen",
                       file=f"{folder}/{snake}_form_screen.dart", route_params=["id"]),
            ]
            continue
        kind = {"auth": "sign_in", "charts": "chart", "calendar": "calendar", "map": "map",
                "sharing": "share", "settings": "settings", "onboarding": "onboarding"}.get(
            feature.kind, "filtered_list")
        route = "/sign-in" if feature.kind == "auth" else "/" + naming.slug(feature.id)
        if route in {s.route for s in screens}:
            route += "-overview"
        widget = "SignInScreen" if feature.kind == "auth" else f"{naming.upper_camel(feature.id)}Screen"
        file = f"{folder}/{naming.snake_case(widget)}.dart"
        screens.append(Screen(name=widget.removesuffix("Screen"), feature=feature.id, kind=kind,
                              title="Sign in" if feature.kind == "auth" else feature.title,
                              route=route, widget=widget, file=file))
    return screens


_ICONS = {"auth": "lock", "reminders": "notifications", "charts": "bar_chart",
          "calendar": "calendar_month", "schedule": "schedule", "map": "map", "search": "search",
          "favourites": "star", "sharing": "share", "settings": "settings",
          "onboarding": "waving_hand", "suggestions": "lightbulb"}
_ENTITY_ICONS = {"PantryItem": "kitchen", "ShoppingItem": "shopping_cart",
                 "TransactionRecord": "receipt_long", "Budget": "savings", "Appointment": "event",
                 "QuestionnaireResponse": "assignment", "Deal": "local_offer", "Profile": "person"}


def _navigation(features: list[Feature], screens: list[Screen]) -> Navigation:
    destinations = []
    for feature in features:
        if feature.kind == "auth":
            continue
        entry = next(s for s in screens if s.feature == feature.id and not s.route_params)
        icon = _ENTITY_ICONS.get(feature.entity or "", "list_alt") if feature.kind == "crud" else \
            _ICONS[feature.kind]
        destinations.append(NavigationDestination(label=feature.title, route=entry.route,
                                                  icon=icon, feature=feature.id))
    sign_in = next((s.route for s in screens if s.kind == "sign_in"), None)
    return Navigation(initial_route="/", sign_in_route=sign_in, destinations=destinations)


def _stories(features: list[Feature], entities: dict[str, Entity]) -> list[UserStory]:
    """User stories with acceptance criteria a widget test can check."""
    stories = []
    for n, feature in enumerate(features, start=1):
        entity = entities.get(feature.entity or "")
        label = entity.plural_label.lower() if entity else "items"
        one = naming.singular(label)
        required = [f.label for f in entity.fields if f.required and f.dart_type != "bool"] if entity \
            else []
        want, why, criteria = {
            "auth": ("to sign in with my email and password", "my data stays mine",
                     ["An empty or malformed email shows a validation message",
                      "A password shorter than 6 characters is rejected",
                      "After signing in the home screen opens; signing out returns to sign in"]),
            "crud": (f"to keep a list of {label}", f"I can find and update my {label} quickly",
                     [f"The list shows every saved {one}, or an empty state when there are none",
                      f"The form refuses to save without: {', '.join(required) or 'nothing'}",
                      f"Saved {label} are still there after restarting the app",
                      f"A {one} can be edited and deleted from its detail screen"]),
            "reminders": ("to be reminded at a time I choose", "I do not forget what matters",
                          ["A reminder needs a title and a time",
                           "Enabled reminders schedule a local notification; disabling cancels it",
                           "Reminders are listed in time order"]),
            "charts": (f"to see my {label} as a chart", "I understand where things stand",
                       ["The chart groups values by category",
                        "With no data an empty state explains how to add some"]),
            "calendar": (f"to see {label} on a calendar", "I can pick a free day",
                         ["Days with entries are marked",
                          "Selecting a day lists its entries"]),
            "schedule": (f"to see the {label} of a day in time order", "I can plan the day",
                         ["Today is shown first", "I can move to the previous and next day",
                          "A day without entries shows an empty state"]),
            "map": (f"to see {label} on a map", "I know what is near me",
                    ["Every entry with coordinates appears as a marker",
                     "Tapping a marker opens the entry"]),
            "search": (f"to search {label}", "I find one quickly",
                       ["Typing filters the list as I type, ignoring case",
                        "No match shows an empty state"]),
            "favourites": (f"to star {label}", "I can return to them",
                           ["The star toggles and is remembered",
                            "The favourites screen lists only starred entries"]),
            "sharing": (f"to share a {one}", "friends can see it too",
                        ["Sharing opens the system share sheet with the entry's text"]),
            "settings": ("to choose the theme", "the app is comfortable to read",
                         ["Light, dark and system modes are offered", "The choice is remembered"]),
            "onboarding": ("a short introduction", "I know what the app does",
                           ["The pages can be swiped", "The last page leads to the home screen"]),
            "suggestions": (f"suggestions based on my {label}", "nothing goes to waste",
                            ["Entries needing attention soonest come first",
                             "With nothing due an empty state is shown"]),
        }[feature.kind]
        stories.append(UserStory(id=f"US-{n:02d}", feature=feature.id, as_a="user", i_want=want,
                                 so_that=why, acceptance_criteria=criteria))
    return stories


def _non_functional(job: JobSpec, features: list[Feature]) -> list[NonFunctionalRequirement]:
    storage = {"none": "Data is stored on the device (shared_preferences) and works offline.",
               "firebase": "Data is stored in Cloud Firestore; access requires a signed-in user.",
               "supabase": "Data is stored in Supabase tables protected by row level security.",
               "rest": "Data is read and written through the documented REST API over HTTPS."}
    items = [
        NonFunctionalRequirement(category="platforms", requirement="Runs on " + ", ".join(
            job.platform) + "; platform folders are created with flutter create."),
        NonFunctionalRequirement(category="persistence", requirement=storage[job.backend]),
        NonFunctionalRequirement(category="accessibility", requirement=(
            "Every icon button has a tooltip, text scales with the system font size and "
            "colors come from a Material 3 scheme with sufficient contrast.")),
        NonFunctionalRequirement(category="states", requirement=(
            "Every data screen shows loading, error (with retry) and empty states.")),
        NonFunctionalRequirement(category="security", requirement=(
            "No secrets in source; configuration comes from --dart-define values; HTTPS only.")),
    ]
    if any(f.kind == "reminders" for f in features):
        items.append(NonFunctionalRequirement(category="permissions", requirement=(
            "Notifications need the POST_NOTIFICATIONS permission on Android 13+ and user "
            "consent on iOS.")))
    return items


def seed_color(style: str) -> str:
    """The Material 3 seed color for a style name; unknown styles get a stable pick."""
    key = style.strip().lower()
    if key in SEED_COLORS:
        return SEED_COLORS[key]
    return _FALLBACK_SEEDS[sum(map(ord, key)) % len(_FALLBACK_SEEDS)]


def build_product_spec(job: JobSpec, known_kinds: dict[str, str] | None = None) -> ProductSpec:
    """The deterministic product spec for a job: what the offline analyst answers.

    `known_kinds` (feature text -> kind) are mappings a human approved in earlier jobs; they win
    over the keyword classifier.
    """
    builder = _SpecBuilder(job, known_kinds)
    _features(builder)
    _apply_choices(builder)
    features = builder.features
    screens = _screens(features, builder.entities)
    backend = job.backend if job.backend in ("none", "firebase", "supabase", "rest") else "none"
    return ProductSpec(
        app_name=job.name, package_name=naming.package_name(job.name),
        description=job.description, platforms=job.platform or ["android", "ios"],
        style=job.style, seed_color=seed_color(job.style), backend=backend,
        entities=list(builder.entities.values()), features=features, screens=screens,
        user_stories=_stories(features, builder.entities), navigation=_navigation(features, screens),
        non_functional=_non_functional(job, features))
