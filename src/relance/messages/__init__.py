"""The messages relance writes to clients: facts, wording and Jinja2 templates per language."""
