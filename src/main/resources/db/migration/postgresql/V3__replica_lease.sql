-- One lease per replica instead of one per journal row: renewing it writes one row, however many
-- deliveries the replica holds. A journal row whose owner's lease ran out may be claimed.
CREATE TABLE replica_lease (
  owner TEXT PRIMARY KEY,
  lease_until BIGINT NOT NULL
);

INSERT INTO replica_lease (owner, lease_until)
SELECT owner, max(lease_until) FROM journal GROUP BY owner;

DROP INDEX journal_lease;
ALTER TABLE journal DROP COLUMN lease_until;
