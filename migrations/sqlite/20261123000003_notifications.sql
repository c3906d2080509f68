-- Notifications (SQLite): the transactional outbox of email and SMS messages,
-- attendance confirmed through a signed link, and secrets shared by instances.

ALTER TABLE bookings ADD COLUMN attendance_confirmed_at INTEGER;
-- When the booking got its current start (made or moved): reminders that were
-- already due then are not sent.
ALTER TABLE bookings ADD COLUMN timed_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE resources ADD COLUMN sms_reminders INTEGER NOT NULL DEFAULT 0;

-- Written in the same transaction as the booking change it tells about; a
-- background worker renders it (filling subject and bodies) and delivers it.
-- Reminders wait until send_after.
CREATE TABLE outbox_messages (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id    INTEGER REFERENCES bookings (id) ON DELETE CASCADE,
    channel       TEXT    NOT NULL CHECK (channel IN ('email', 'sms')),
    event         TEXT    NOT NULL, -- requested, confirmed, ..., reminder
    recipient     TEXT    NOT NULL, -- email address or E.164 phone number
    audience      TEXT    NOT NULL CHECK (audience IN ('client', 'manager')),
    lang          TEXT    NOT NULL,
    data          TEXT    NOT NULL DEFAULT '{}', -- JSON: reason, previous start
    subject       TEXT    NOT NULL DEFAULT '',
    body_text     TEXT    NOT NULL DEFAULT '',
    body_html     TEXT    NOT NULL DEFAULT '',
    ics           TEXT,
    status        TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'kept')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    send_after    INTEGER NOT NULL,
    claimed_until INTEGER, -- a worker is delivering it; retried by others after this
    last_error    TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    sent_at       INTEGER
);
CREATE INDEX outbox_due ON outbox_messages (status, send_after);
CREATE INDEX outbox_by_booking ON outbox_messages (booking_id);

CREATE TABLE app_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
