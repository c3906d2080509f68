-- The booking engine (SQLite): per-resource rules, hours, services, bookings
-- and their history. Times are UTC Unix seconds; money is integer minor units.

ALTER TABLE resources ADD COLUMN approval TEXT NOT NULL DEFAULT 'manual' CHECK (approval IN ('manual', 'auto'));
ALTER TABLE resources ADD COLUMN booking_mode TEXT NOT NULL DEFAULT 'slots' CHECK (booking_mode IN ('slots', 'ranges'));
ALTER TABLE resources ADD COLUMN buffer_minutes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN min_notice_minutes INTEGER NOT NULL DEFAULT 60;
ALTER TABLE resources ADD COLUMN max_horizon_days INTEGER NOT NULL DEFAULT 365;
ALTER TABLE resources ADD COLUMN slot_step_minutes INTEGER NOT NULL DEFAULT 30;
ALTER TABLE resources ADD COLUMN default_duration_minutes INTEGER NOT NULL DEFAULT 60;
ALTER TABLE resources ADD COLUMN max_per_day INTEGER;
ALTER TABLE resources ADD COLUMN max_party INTEGER;
ALTER TABLE resources ADD COLUMN cancel_cutoff_hours INTEGER NOT NULL DEFAULT 24;
ALTER TABLE resources ADD COLUMN pending_expiry_hours INTEGER NOT NULL DEFAULT 48;
ALTER TABLE resources ADD COLUMN photos TEXT NOT NULL DEFAULT '[]'; -- JSON array of URLs

CREATE TABLE weekly_hours (
    resource_id   INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Monday
    opens_minute  INTEGER NOT NULL,
    closes_minute INTEGER NOT NULL,
    CHECK (opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440)
);
CREATE INDEX weekly_hours_by_resource ON weekly_hours (resource_id);

CREATE TABLE date_exceptions (
    resource_id   INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    day           TEXT    NOT NULL, -- YYYY-MM-DD in the resource's zone
    opens_minute  INTEGER,          -- both NULL: closed all day
    closes_minute INTEGER
);
CREATE INDEX date_exceptions_by_resource ON date_exceptions (resource_id, day);

CREATE TABLE blackouts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL CHECK (ends_at > starts_at),
    reason      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX blackouts_by_resource ON blackouts (resource_id);

CREATE TABLE services (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id      INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    name             TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
    price_minor      INTEGER NOT NULL CHECK (price_minor >= 0),
    deposit_minor    INTEGER NOT NULL DEFAULT 0 CHECK (deposit_minor >= 0),
    currency         TEXT    NOT NULL
);
CREATE INDEX services_by_resource ON services (resource_id);

CREATE TABLE bookings (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id     INTEGER NOT NULL REFERENCES resources (id),
    service_id      INTEGER REFERENCES services (id),
    client_id       INTEGER REFERENCES users (id),
    guest_name      TEXT    NOT NULL,
    guest_email     TEXT    NOT NULL,
    guest_phone     TEXT,
    starts_at       INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    blocked_until   INTEGER NOT NULL, -- ends_at plus the resource's buffer
    party_size      INTEGER NOT NULL DEFAULT 1,
    notes           TEXT    NOT NULL DEFAULT '',
    details         TEXT    NOT NULL DEFAULT '{}',
    price_minor     INTEGER NOT NULL DEFAULT 0,
    currency        TEXT    NOT NULL DEFAULT 'MXN',
    status          TEXT    NOT NULL,
    exclusive       INTEGER NOT NULL, -- 1 when the resource's capacity is 1
    hold_expires_at INTEGER,          -- a pending request releases its time then
    maintenance_until INTEGER,         -- rooms: cleaning after check-out lasts until then
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    CHECK (ends_at > starts_at AND blocked_until >= ends_at)
);
CREATE INDEX bookings_by_resource_time ON bookings (resource_id, starts_at);
CREATE INDEX bookings_by_client ON bookings (client_id);
CREATE INDEX bookings_pending_holds ON bookings (hold_expires_at) WHERE status = 'pending';

CREATE TABLE booking_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id  INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    reason      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX booking_events_by_booking ON booking_events (booking_id);
