-- The account's open cycle starts where its last closing ended. Usage dated before that start
-- arrived after its own cycle was closed and invoiced: it is billed in the open cycle instead, and
-- the event keeps when it was billed (billed_at) beside when it happened.
ALTER TABLE accounts ADD COLUMN cycle_start timestamptz;
UPDATE accounts a SET cycle_start = c.closed_through
  FROM (SELECT account_id, max(cycle_end) AS closed_through FROM cycle_closings GROUP BY account_id) c
  WHERE c.account_id = a.id;
ALTER TABLE usage_events ADD COLUMN billed_at timestamptz;
