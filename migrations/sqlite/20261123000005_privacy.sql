-- Retention and privacy (SQLite).

-- Set when a booking's personal data (guest name, email, phone, notes,
-- details) was replaced: by the daily retention job once the booking is
-- finished and older than [privacy] retention_days, or when its client
-- deleted their account. Status, times, resource and money stay for reports.
ALTER TABLE bookings ADD COLUMN anonymized_at INTEGER;
CREATE INDEX bookings_not_anonymized ON bookings (ends_at) WHERE anonymized_at IS NULL;

-- Set when a person deleted their account. The row stays (bookings and their
-- history point at it) but its email is replaced by deleted-<id>@deleted.invalid,
-- so the address can register again, and it can no longer log in.
ALTER TABLE users ADD COLUMN deleted_at INTEGER;

-- Every administrator action: who, what, on which thing, and details (JSON).
-- Written in the same transaction as the change where the change has one.
CREATE TABLE audit_log (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       INTEGER NOT NULL,
    actor_id INTEGER REFERENCES users (id),
    action   TEXT    NOT NULL, -- e.g. booking.check_in, resource.retire
    target   TEXT    NOT NULL DEFAULT '', -- e.g. booking:12, resource:3
    detail   TEXT    NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_by_action ON audit_log (action, id);
