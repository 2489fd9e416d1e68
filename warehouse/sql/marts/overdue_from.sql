-- The first day at whose end a dossier is past due: KPI.md's as-of instant of a day D is D 23:59:59.999,
-- and a dossier is past due then when due_at < that instant. Included by marts/overdue_day.sql and
-- marts/overdue_end_day.sql, which date a dossier's overdue events for the mart and the queries alike.
cast(due_at - interval '23:59:59.999' as date) + 1
