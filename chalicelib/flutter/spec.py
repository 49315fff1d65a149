"""The product spec: the structured backbone every phase after `ba` reads (docs/product_spec.json)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, model_validator

from chalicelib.flutter import naming

# Names every Dart enum already has: a member called like one does not compile.
_ENUM_MEMBERS_TAKEN = frozenset({"values", "index", "name", "hashCode", "runtimeType", "label",
                                 "toString", "noSuchMethod"})

DartType = Literal["String", "int", "double", "bool", "DateTime"]

FeatureKind = Literal[
    "auth",
    "crud",
    "reminders",
    "charts",
    "calendar",
    "map",
    "search",
    "favourites",
    "sharing",
    "settings",
    "onboarding",
    "schedule",
    "suggestions",
]

ScreenKind = Literal[
    "home",
    "list",
    "detail",
    "form",
    "sign_in",
    "chart",
    "calendar",
    "map",
    "filtered_list",
    "share",
    "settings",
    "onboarding",
]


def enum_type_name(entity: str, field: str) -> str:
    """The Dart enum type of an entity's choice field: `PantryItem` + `location`."""
    return entity + naming.upper_camel(field)


class EntityField(BaseModel):
    """One typed field of a domain model; `name` is lowerCamel, `label` is shown to users."""

    name: str
    dart_type: DartType
    required: bool = True
    label: str
    with_time: bool = False
    choices: list[str] = Field(default_factory=list)
    """The allowed values in the request's own words; when set, a String field becomes a Dart enum."""
    enum_type: str = ""
    """The Dart enum of a field with choices (`PantryItemLocation`); filled in by its Entity."""

    def enum_members(self) -> list[str]:
        """The Dart enum member names of `choices`: lowerCamel, unique, never an `Enum` member."""
        taken: set[str] = set()
        members = []
        for n, choice in enumerate(self.choices, start=1):
            member = naming.lower_camel(choice, fallback=f"value{n}")
            if member in _ENUM_MEMBERS_TAKEN:
                member += "Value"
            while member in taken:
                member += str(n)
            taken.add(member)
            members.append(member)
        return members


class Entity(BaseModel):
    """A domain model (UpperCamel `name`) with an implicit `String id` plus its fields."""

    name: str
    plural_label: str
    collection: str
    fields: list[EntityField]

    @model_validator(mode="after")
    def _name_enums(self) -> Entity:
        """Fields with choices get an enum named after the entity and the field."""
        for field in self.fields:
            if field.choices and not field.enum_type:
                field.enum_type = enum_type_name(self.name, field.name)
        return self

    def field(self, name: str) -> EntityField | None:
        """The field called `name`, or None."""
        return next((f for f in self.fields if f.name == name), None)


class Feature(BaseModel):
    """A requested feature mapped onto a known kind; `source` keeps the user's own words."""

    id: str
    kind: FeatureKind
    title: str
    entity: str | None = None
    source: str
    summary: str


class Screen(BaseModel):
    """A routed screen. QA cross-checks `route`, `widget`, `file` (relative to source/) and `is_home`."""

    name: str
    feature: str
    kind: ScreenKind
    title: str
    route: str
    widget: str
    file: str
    is_home: bool = False
    route_params: list[str] = Field(default_factory=list)


class UserStory(BaseModel):
    """A user story with testable acceptance criteria, tied to a feature."""

    id: str
    feature: str
    as_a: str
    i_want: str
    so_that: str
    acceptance_criteria: list[str]


class NavigationDestination(BaseModel):
    """An entry the home screen offers, pointing at a screen's route."""

    label: str
    route: str
    icon: str
    feature: str


class Navigation(BaseModel):
    """How users move through the app: where they land and what the home screen links to."""

    initial_route: str = "/"
    sign_in_route: str | None = None
    destinations: list[NavigationDestination]


class NonFunctionalRequirement(BaseModel):
    """A quality need (accessibility, offline, privacy, performance...)."""

    category: str
    requirement: str


class ProductSpec(BaseModel):
    """Everything the later phases need to design and build the app, derived from the job."""

    app_name: str
    package_name: str
    description: str
    platforms: list[str]
    style: str
    seed_color: str
    backend: Literal["none", "firebase", "supabase", "rest"]
    entities: list[Entity]
    features: list[Feature]
    screens: list[Screen]
    user_stories: list[UserStory]
    navigation: Navigation
    non_functional: list[NonFunctionalRequirement]

    def entity(self, name: str) -> Entity:
        """The entity called `name`; a KeyError means the spec is inconsistent."""
        for entity in self.entities:
            if entity.name == name:
                return entity
        raise KeyError(name)

    def feature(self, feature_id: str) -> Feature:
        """The feature with `feature_id`."""
        for feature in self.features:
            if feature.id == feature_id:
                return feature
        raise KeyError(feature_id)

    def screens_of(self, feature_id: str) -> list[Screen]:
        """The screens that belong to one feature, in spec order."""
        return [s for s in self.screens if s.feature == feature_id]

    def home_screen(self) -> Screen:
        """The screen users land on."""
        return next(s for s in self.screens if s.is_home)
