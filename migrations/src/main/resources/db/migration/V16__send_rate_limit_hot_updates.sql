-- Every send updates its (conversation, sender) row of send_rate_limit. With theoretical_arrival
-- indexed, no update could be HOT (heap-only): each one inserted a new entry into both indexes and
-- left dead ones for vacuum (240,608 updates, 0 HOT, in one benchmark run). The index served only
-- the hourly cleanup, which reads the whole (small: one row per recently active sender and
-- conversation) table just as well. Free space on each page lets the new row version stay on its
-- page.
DROP INDEX send_rate_limit_arrival_idx;
ALTER TABLE send_rate_limit SET (fillfactor = 70);
