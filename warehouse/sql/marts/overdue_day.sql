-- The day a dossier is counted "received and past due" (the later of its received day and its first day
-- past due; null without a due time): dated once here for the KPI mart and the days queries read.
case when due_at is not null then greatest(received_date, {{ include 'marts/overdue_from' }}) end
