-- Retired resources and uploaded photos (SQLite).

-- Set when an administrator retires a resource: it leaves every list and takes
-- no new bookings; its past bookings keep pointing at it.
ALTER TABLE resources ADD COLUMN archived_at INTEGER;

-- Uploaded images, served at /media/{id}; resources.photos lists their URLs.
-- Kept in the database so every instance serves them and backups include them.
CREATE TABLE media (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    resource_id  INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
    content_type TEXT    NOT NULL,
    bytes        BLOB    NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX media_resource ON media (resource_id);
