-- The SQLite migration of the same version, in PostgreSQL's dialect: identity columns instead of
-- rowids, and indexes for the claims replicas make on the journal.

CREATE TABLE notification (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  pending INTEGER NOT NULL
);

-- owner is the replica delivering the row; after lease_until (epoch milliseconds) without a
-- renewal any replica may claim it.
CREATE TABLE journal (
  id TEXT PRIMARY KEY,
  notification_id TEXT NOT NULL,
  target TEXT NOT NULL,
  fingerprints TEXT NOT NULL,
  received_at TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_until BIGINT NOT NULL
);
CREATE INDEX journal_lease ON journal (lease_until);
CREATE INDEX journal_owner ON journal (owner);

CREATE TABLE dead_letter (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  delivery_id TEXT NOT NULL,
  target TEXT NOT NULL,
  notification TEXT NOT NULL,
  fingerprints TEXT NOT NULL,
  received_at TEXT NOT NULL,
  reason TEXT NOT NULL,
  last_failure TEXT,
  last_status INTEGER NOT NULL,
  last_error TEXT,
  response_excerpt TEXT,
  attempts INTEGER NOT NULL,
  last_attempt_at TEXT,
  dead_lettered_at TEXT NOT NULL
);
CREATE INDEX dead_letter_at ON dead_letter (dead_lettered_at);

CREATE TABLE attempt (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX attempt_at ON attempt (at);

CREATE TABLE attempt_alert (
  fingerprint TEXT NOT NULL,
  attempt_id BIGINT NOT NULL,
  PRIMARY KEY (fingerprint, attempt_id)
);
