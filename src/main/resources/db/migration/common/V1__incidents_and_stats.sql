-- Tables whose SQL is the same in SQLite and PostgreSQL.

-- Rootly incident ids, so a resolved alert resolves the incident its firing opened.
CREATE TABLE incident (
  target TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  incident_id TEXT NOT NULL,
  PRIMARY KEY (target, fingerprint)
);

-- The stats rings (DeliveryStats), one per replica and target, saved every minute and at
-- shutdown. data holds the ring's counters, base64-encoded big-endian ints.
CREATE TABLE stats_ring (
  replica TEXT NOT NULL,
  target TEXT NOT NULL,
  taken_at TEXT NOT NULL,
  slots INTEGER NOT NULL,
  stride INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (replica, target)
);
