"""The database of listings, venues and their history (SQLAlchemy 2, Alembic migrations).

SQLite in the data folder by default; PostgreSQL with PostGIS for a team
(``SOCIALBASIS_DATABASE_URL``).
"""
