-- Accepted notifications, stored once for all their deliveries.
-- Sequential integer ids append to the table's B-tree instead of splitting pages at random.
-- pending counts its unfinished journal rows, so finishing one needs no index on notification_id.
CREATE TABLE notification (
  id INTEGER PRIMARY KEY,
  body TEXT NOT NULL,
  received_at TEXT NOT NULL,
  pending INTEGER NOT NULL
);

-- One row per accepted delivery until it is delivered or dead-lettered. The target is named,
-- never copied: its settings and secrets are looked up at send time.
CREATE TABLE journal (
  id TEXT PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notification (id),
  target TEXT NOT NULL,
  fingerprints TEXT NOT NULL,
  received_at TEXT NOT NULL,
  state TEXT NOT NULL
) WITHOUT ROWID; -- one B-tree keyed by the delivery id, no second index for it

CREATE TABLE dead_letter (
  id TEXT PRIMARY KEY,
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

CREATE TABLE incident (
  target TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  PRIMARY KEY (target, fingerprint)
);
