"""Package, file, type and member names for generated Dart."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chalicelib.flutter import naming


@pytest.mark.parametrize(("app_name", "expected"), [
    ("Pantry Saver", "pantry_saver"),
    ("123 class", "app_123_class"),
    ("🍕 Pizza", "pizza"),
    ("Quản lý Chi tiêu Gia đình", "quan_ly_chi_tieu_gia_dinh"),
    ("class", "class_app"),
    ("🍕🍕", "flutter_app"),
    ("", "flutter_app"),
    ("Tom's \"Best\" $5 Deals", "toms_best_5_deals"),
])
def test_package_name_is_legal_for_awkward_names(app_name, expected):
    assert naming.package_name(app_name) == expected
    assert naming.is_legal_package_name(naming.package_name(app_name))


@given(st.text())
def test_package_name_is_always_legal(text):
    assert naming.is_legal_package_name(naming.package_name(text))


@given(st.text())
def test_slug_is_always_url_safe(text):
    slug = naming.slug(text)
    assert slug and all(c.isascii() and (c.isalnum() or c == "-") for c in slug)


def test_type_and_member_names():
    assert naming.upper_camel("pantry item") == "PantryItem"
    assert naming.upper_camel("3d model") == "N3dModel"
    assert naming.lower_camel("Expiry date") == "expiryDate"
    assert naming.lower_camel("switch") == "switchValue"
    assert naming.snake_case("PantryItem") == "pantry_item"


def test_features_named_like_built_ins_do_not_collide():
    assert naming.feature_id("home") == "home_feature"
    assert naming.feature_id("App") == "app_feature"
    assert naming.feature_id("main") == "main_feature"
    assert naming.type_name("Transaction") == "TransactionRecord"
    assert naming.type_name("Deal") == "Deal"
