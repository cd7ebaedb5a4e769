package io.alerthistory.bench;

import io.alerthistory.alert.Notification;
import io.alerthistory.delivery.Delivery;
import io.alerthistory.delivery.Journal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A journal that writes nothing but, like the real ones, has each webhook wait until another thread
 * says its accept is done. The ingest rate with it is the most any journal that makes the webhook
 * wait for a writer thread can reach; the rest of a real journal's cost is its database.
 */
public final class HandoffJournal extends Journal.Nothing {
  private final ExecutorService writer =
      Executors.newSingleThreadExecutor(
          r -> Thread.ofPlatform().daemon().name("handoff").unstarted(r));

  @Override
  public CompletableFuture<Void> accept(
      Notification notification, String encoded, List<Delivery> deliveries) {
    return CompletableFuture.runAsync(() -> {}, writer);
  }
}
