-- The directory's free-at search (src/server/storage/directory.rs) for
-- many resources (PostgreSQL): the opening hours of a weekday by time, and the
-- active bookings of each resource by start with their end, read from the
-- indexes alone. The status list must stay bookings::ACTIVE word for word
-- for queries to use the partial index.

CREATE INDEX weekly_hours_by_day ON weekly_hours (weekday, opens_minute, closes_minute, resource_id);
CREATE INDEX bookings_active_by_resource_time ON bookings (resource_id, starts_at, ends_at)
    WHERE status IN ('pending', 'confirmed', 'in_progress');
