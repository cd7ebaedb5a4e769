-- Delivery attempts for the history API, kept for HISTORY_RETENTION.
CREATE TABLE attempt (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  fingerprints TEXT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX attempt_at ON attempt (at);
