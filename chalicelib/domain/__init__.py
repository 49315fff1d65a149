"""Pydantic models of requests and records: the product's vocabulary."""
