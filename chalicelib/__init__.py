"""Unified AI Software Factory: the Chalice application's library package."""
