-- One process owns a SQLite file, so its journal rows need no lease (PostgreSQL keeps one per
-- replica in replica_lease). Dropped here too so both databases take the same journal insert.
ALTER TABLE journal DROP COLUMN lease_until;
