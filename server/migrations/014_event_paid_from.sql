-- Which grants paid an event's cost (and what became debt), kept with the event for its
-- explanation: [{ grant, kind, amount }], grant null for debt. NULL for events recorded before.
ALTER TABLE usage_events ADD COLUMN paid_from jsonb;
