-- Processes remember accounts (authorize answers from memory) and forget one when a NOTIFY on
-- creditmeter_account_changed names it. Writers of balances send it with their books; a change to
-- anything else an answer depends on (the plan, its add-on units, the subscription's end, a payment
-- issue, the cycle) sends it from here, so that no writer can forget to. The balance columns are
-- not listed: their writers notify once per transaction for all their accounts.
CREATE FUNCTION accounts_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('creditmeter_account_changed', NEW.id);
  RETURN NULL;
END
$$;
CREATE TRIGGER accounts_change_notify
  AFTER UPDATE OF plan, plan_since, scheduled_change, billing_interval, anchor, cycle_start, cycle_end, ends_at, ended_at,
    allowance_extras, payment_issue, resources, spend_limit, fee_paid_until, name, email, metadata, billing
  ON accounts FOR EACH ROW WHEN (OLD IS DISTINCT FROM NEW)
  EXECUTE FUNCTION accounts_notify_change();
