"""Loaders: one module per data source, each turning raw responses into canonical frames.

All HTTP goes through ``loaders._http``; every parser is a pure function of the raw response.
"""
