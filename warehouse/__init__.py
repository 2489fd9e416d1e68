"""The warehouse: DuckDB schema, migrations, SQL models and the one KPI query layer."""
