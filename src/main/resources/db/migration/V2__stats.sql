-- The stats rings (DeliveryStats), one per target, saved every minute and at shutdown.
CREATE TABLE stats_ring (
  target TEXT PRIMARY KEY,
  taken_at TEXT NOT NULL,
  slots INTEGER NOT NULL,
  stride INTEGER NOT NULL,
  data BLOB NOT NULL
);
