"""Storage: Peewee models on SQLite, migrations, and the queries that feed screens."""
