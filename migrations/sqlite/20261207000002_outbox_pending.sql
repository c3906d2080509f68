-- The delivery worker only ever looks for pending messages (outbox::claim,
-- oldest_due_pending). An index of those alone is left untouched when a
-- message is marked sent or kept, which takes it out of the index.
DROP INDEX outbox_due;
CREATE INDEX outbox_pending ON outbox_messages (send_after, id) WHERE status = 'pending';
