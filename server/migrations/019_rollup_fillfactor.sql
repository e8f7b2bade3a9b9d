-- Folding rollup increments updates the same rows again and again (an hour's row, a day's row).
-- Room left in each page lets those updates stay on the page (HOT), without new index entries.
ALTER TABLE usage_rollups SET (fillfactor = 70);
ALTER TABLE usage_rollups_daily SET (fillfactor = 70);
