-- What a public profile shows of a resource (the resource row, its managers'
-- names, weekly hours, date exceptions, blackouts and services) is kept in
-- memory by each server between page views (storage::catalog). Every write to
-- those tables, by any server or tool, gives catalog_version a new random
-- token in the same transaction; a server uses what it kept only while the
-- token it reads is the one it kept it under. A random token rather than a
-- counter: a restored backup or another database never repeats one.
CREATE TABLE catalog_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT NOT NULL
);
INSERT INTO catalog_version (id, token) VALUES (1, hex(randomblob(16)));
CREATE TRIGGER catalog_resources_insert AFTER INSERT ON resources
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_resources_update AFTER UPDATE ON resources
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_resources_delete AFTER DELETE ON resources
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_resource_managers_insert AFTER INSERT ON resource_managers
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_resource_managers_update AFTER UPDATE ON resource_managers
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_resource_managers_delete AFTER DELETE ON resource_managers
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_weekly_hours_insert AFTER INSERT ON weekly_hours
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_weekly_hours_update AFTER UPDATE ON weekly_hours
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_weekly_hours_delete AFTER DELETE ON weekly_hours
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_date_exceptions_insert AFTER INSERT ON date_exceptions
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_date_exceptions_update AFTER UPDATE ON date_exceptions
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_date_exceptions_delete AFTER DELETE ON date_exceptions
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_blackouts_insert AFTER INSERT ON blackouts
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_blackouts_update AFTER UPDATE ON blackouts
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_blackouts_delete AFTER DELETE ON blackouts
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_services_insert AFTER INSERT ON services
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_services_update AFTER UPDATE ON services
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
CREATE TRIGGER catalog_services_delete AFTER DELETE ON services
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
-- Managers are shown by name.
CREATE TRIGGER catalog_users_name AFTER UPDATE OF name ON users
BEGIN UPDATE catalog_version SET token = hex(randomblob(16)); END;
