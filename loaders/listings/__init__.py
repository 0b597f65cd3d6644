"""Importing a municipality's or cultural centre's own listings into the canonical schema."""
