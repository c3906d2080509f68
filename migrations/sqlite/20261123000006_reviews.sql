-- Reviews (SQLite): after a completed booking its client may rate it 1 to 5
-- and comment, once; a manager of the resource may reply, once.

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- UNIQUE: two requests racing cannot leave two reviews of one booking.
    booking_id  INTEGER NOT NULL UNIQUE REFERENCES bookings (id) ON DELETE CASCADE,
    resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    client_id   INTEGER REFERENCES users (id),
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    reply       TEXT,    -- NULL until the manager replies; written only once
    replied_by  INTEGER REFERENCES users (id),
    replied_at  INTEGER
);
CREATE INDEX reviews_by_resource ON reviews (resource_id, created_at);
