-- The first day at whose end a dossier is past due: KPI.md's as-of instant of a day D is D 23:59:59.999,
-- and a dossier is past due then when due_at < that instant. Included where a dossier's "received and
-- past due" event is dated (marts/kpi_month.sql, queries/kpi_counts_from_marts.sql), so both date it alike.
cast(due_at - interval '23:59:59.999' as date) + 1
