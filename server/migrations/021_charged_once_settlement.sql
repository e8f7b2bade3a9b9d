-- How a charge-once key was settled: paid (covered_by NULL), or taken from an included allowance
-- (covered_by the meter, covered_units drawn). A key taken from an allowance is paid once a service
-- that allowance does not cover comes for it, and its units go back (DOMAIN.md model 5). Keys
-- recorded before were all paid or free alike: they stay paid.
ALTER TABLE charged_once ADD COLUMN covered_by text;
ALTER TABLE charged_once ADD COLUMN covered_units numeric NOT NULL DEFAULT 0 CHECK (covered_units >= 0);
