-- The delivery worker only ever looks for pending messages (outbox::claim,
-- oldest_due_pending). An index of those alone is left untouched when a
-- message is marked sent or kept, which takes it out of the index; the old
-- (status, send_after) index got a new entry at every such update. Room left
-- on each page lets the claim, which changes no indexed column, update its
-- rows in place (a HOT update, no index entries at all).
DROP INDEX outbox_due;
CREATE INDEX outbox_pending ON outbox_messages (send_after, id) WHERE status = 'pending';
ALTER TABLE outbox_messages SET (fillfactor = 80);
