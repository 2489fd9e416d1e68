-- The day a dossier is counted "received, past due and ended" (the latest of those three days; null
-- without a due time or an end): what takes it back out of the overdue count by that day.
case when due_at is not null and end_date is not null
     then greatest(received_date, {{ include 'marts/overdue_from' }}, end_date) end
