-- Instants are stored as fixed-width UTC text (Times.format), so text order is time order.

-- Accepted notifications, stored once for all their deliveries; id is that of the first delivery.
-- pending counts its unfinished journal rows, so finishing one needs no index on notification_id.
-- A rowid table: bodies of a kilobyte or more would spread a WITHOUT ROWID table's leaves over
-- many pages, each rewritten in the WAL at every commit.
CREATE TABLE notification (
  id TEXT PRIMARY KEY,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  pending INTEGER NOT NULL
);

-- One row per accepted delivery until it is delivered or dead-lettered. The target is named,
-- never copied: its settings and secrets are looked up at send time. owner and lease_until
-- (epoch milliseconds) matter only when replicas share a PostgreSQL database.
CREATE TABLE journal (
  id TEXT PRIMARY KEY,
  notification_id TEXT NOT NULL,
  target TEXT NOT NULL,
  fingerprints TEXT NOT NULL,
  received_at TEXT NOT NULL,
  owner TEXT NOT NULL,
  lease_until INTEGER NOT NULL
) WITHOUT ROWID;

-- seq orders the letters and makes the listing cursors.
CREATE TABLE dead_letter (
  seq INTEGER PRIMARY KEY,
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

-- Delivery attempts for the history API, kept for HISTORY_RETENTION, and the alerts each carried.
CREATE TABLE attempt (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX attempt_at ON attempt (at);

CREATE TABLE attempt_alert (
  fingerprint TEXT NOT NULL,
  attempt_id INTEGER NOT NULL,
  PRIMARY KEY (fingerprint, attempt_id)
) WITHOUT ROWID;
