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
INSERT INTO catalog_version (id, token) VALUES (1, gen_random_uuid()::text);

CREATE FUNCTION catalog_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET token = gen_random_uuid()::text;
    RETURN NULL;
END;
$$;
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON resource_managers
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON weekly_hours
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON date_exceptions
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON blackouts
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
-- Managers are shown by name.
CREATE TRIGGER catalog_changed AFTER UPDATE OF name ON users
    FOR EACH STATEMENT EXECUTE FUNCTION catalog_changed();
