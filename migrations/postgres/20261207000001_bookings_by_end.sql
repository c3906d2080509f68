-- A new booking is checked against the active bookings of its resource that
-- touch its time (src/server/storage/bookings.rs, `touching`): by the end of
-- their blocked time, so the check reads the bookings ahead of the time asked
-- for, never the past ones, whose number only grows. The status list must
-- stay bookings::ACTIVE word for word for queries to use the partial index.
CREATE INDEX bookings_active_by_resource_end ON bookings (resource_id, blocked_until, starts_at, ends_at)
    WHERE status IN ('pending', 'confirmed', 'in_progress');
