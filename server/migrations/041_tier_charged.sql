-- A cycle's tier count keeps what its tiered charges came to beside its quantity: an event is
-- charged price(quantity after) - charged, and a void gives back charged - price(quantity left), so
-- that the cycle is always charged the price of its standing quantity (see rating/tieredPrice).
-- Counts kept before: what the cycle's standing events were charged for the service.
ALTER TABLE tier_usage ADD COLUMN charged numeric NOT NULL DEFAULT 0;
UPDATE tier_usage t SET charged = coalesce((
  SELECT sum((c ->> 'amount')::numeric)
  FROM usage_events e
  CROSS JOIN LATERAL jsonb_array_elements(coalesce(e.draws -> 'tiers', '[]'::jsonb)) d
  CROSS JOIN LATERAL jsonb_array_elements(e.charges) c
  WHERE e.account_id = t.account_id AND e.voided_at IS NULL
    AND d ->> 'service' = t.service AND d ->> 'period' = t.period
    AND c ->> 'service' = t.service AND c ? 'tiers'
), 0);

-- Only a tiered charge may cost less than nothing (a cheaper volume tier reached, a cycle's earlier
-- units settled at its tiers): every other event costs 0 or more, as before migration 038.
ALTER TABLE usage_events ADD CONSTRAINT usage_events_cost_check CHECK (cost >= 0 OR coalesce(draws ? 'tiers', false));
