package io.alerthistory.delivery;

import io.alerthistory.alert.Notification;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted deliveries are written before the webhook answers, so a crash loses nothing that
 * was answered 200 (DESIGN §12). Writes are ordered: a delivery's {@link #finish} never overtakes
 * its {@link #accept}.
 */
public interface Journal {

  /**
   * Encodes a notification for {@link #accept}, on the caller's thread before the intake lock, so
   * the work is spread over the callers instead of the journal's writer.
   */
  String encode(Notification notification);

  /**
   * Records the deliveries of one notification. Called under the engine's intake lock, so it only
   * queues the write.
   *
   * @param encoded the notification from {@link #encode}, or null to encode it in the journal
   * @return completes once the deliveries are durable, or exceptionally when the write failed
   */
  CompletableFuture<Void> accept(
      Notification notification, String encoded, List<Delivery> deliveries);

  /** The delivery was delivered or dead-lettered; it need not be recovered any more. */
  void finish(String deliveryId);

  /** Deliveries accepted and not finished, oldest first. */
  List<Delivery> unfinished();

  /** An attempt, kept for the history of its alerts; queued, never waited for. */
  void attempted(List<String> fingerprints, AttemptRecord attempt);

  /** The latest {@code limit} stored attempts for an alert made at or after {@code since}. */
  List<AttemptRecord> history(String fingerprint, Instant since, int limit);

  /**
   * Whether unfinished deliveries survive a restart (a shutdown then leaves them in the journal
   * instead of dead-lettering them) and the journal keeps the delivery history.
   */
  boolean durable();

  /** Keeps nothing: the in-memory engine. */
  Journal NONE = new Nothing();

  /**
   * Keeps nothing and answers at once. Other journals that keep little (benchmarks, tests) extend
   * it and override what they need.
   */
  class Nothing implements Journal {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    @Override
    public String encode(Notification notification) {
      return null;
    }

    @Override
    public CompletableFuture<Void> accept(
        Notification n, String encoded, List<Delivery> deliveries) {
      return DONE;
    }

    @Override
    public void finish(String deliveryId) {}

    @Override
    public List<Delivery> unfinished() {
      return List.of();
    }

    @Override
    public void attempted(List<String> fingerprints, AttemptRecord attempt) {}

    @Override
    public List<AttemptRecord> history(String fingerprint, Instant since, int limit) {
      return List.of();
    }

    @Override
    public boolean durable() {
      return false;
    }
  }
}
