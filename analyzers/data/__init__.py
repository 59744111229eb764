"""Tables and who touches them: ORM models (SQLAlchemy, Django), `Table(...)` definitions, the accesses
a call expresses, and table names read out of raw SQL text.
"""
