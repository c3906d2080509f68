-- Workshops and payments (SQLite): deposits per service, a client's
-- remembered vehicles, each booking's payment status, payments and refunds,
-- the payment provider's checkout sessions and the webhook events already
-- handled (so a replayed event changes nothing).

-- NULL: deposit_minor is a fixed amount (0 = no deposit); else a percentage of the price.
ALTER TABLE services ADD COLUMN deposit_percent INTEGER CHECK (deposit_percent BETWEEN 1 AND 100);
-- A removed service stays for the bookings that name it.
ALTER TABLE services ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

ALTER TABLE bookings ADD COLUMN payment_status TEXT NOT NULL DEFAULT 'unpaid'
    CHECK (payment_status IN ('unpaid', 'deposit_paid', 'paid', 'refunded'));
-- The deposit owed when the booking was made (0: none); a booking owing one
-- stays pending until it is paid.
ALTER TABLE bookings ADD COLUMN deposit_due_minor INTEGER NOT NULL DEFAULT 0 CHECK (deposit_due_minor >= 0);

CREATE TABLE vehicles (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    make         TEXT    NOT NULL,
    model        TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    UNIQUE (user_id, make, model, year)
);

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    booking_id   INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('deposit', 'payment', 'refund')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT    NOT NULL,
    provider     TEXT    NOT NULL, -- 'offline' or 'stripe'
    method       TEXT    NOT NULL, -- 'cash', 'transfer' or 'card'
    reference    TEXT    NOT NULL DEFAULT '',
    recorded_by  INTEGER REFERENCES users (id),
    created_at   INTEGER NOT NULL
);
CREATE INDEX payments_by_booking ON payments (booking_id);
CREATE INDEX payments_by_time ON payments (created_at);

CREATE TABLE checkout_sessions (
    id           TEXT    PRIMARY KEY, -- the provider's session id
    booking_id   INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('deposit', 'payment')),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'expired')),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX checkout_sessions_by_booking ON checkout_sessions (booking_id);

CREATE TABLE webhook_events (
    provider    TEXT    NOT NULL,
    event_id    TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (provider, event_id)
);
