-- Checkpoints form a chain of their own (docs/adr/0007): each checkpoint's HMAC also covers the
-- slot and HMAC of the checkpoint before it, so deleting or replacing one breaks the sequence.
-- The first checkpoint has no previous one (both NULL).
ALTER TABLE audit_checkpoints ADD COLUMN prev_slot BIGINT NULL;
ALTER TABLE audit_checkpoints ADD COLUMN prev_mac CHAR(64) NULL;
-- Two replicas cannot both chain onto the same checkpoint (clocks a little apart at an interval's
-- boundary): the second insert is refused like a second checkpoint in one slot.
CREATE UNIQUE INDEX uq_audit_checkpoints_prev ON audit_checkpoints (prev_slot);
-- Checkpoints written before this migration are unchained (an HMAC of another form) and the
-- feature was not yet released: they are removed, and the next interval writes the first chained
-- one after the writer has walked every chain from its start.
DELETE FROM audit_checkpoints;
