package io.alerthistory.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriterInboxTest {

  @Test
  void aSleepingConsumerIsWokenByTheNextAdd() throws Exception {
    WriterInbox<String> inbox = new WriterInbox<>();
    CompletableFuture<String> taken = new CompletableFuture<>();
    Thread consumer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    taken.complete(inbox.take());
                  } catch (InterruptedException e) {
                    taken.completeExceptionally(e);
                  }
                });
    await().until(() -> consumer.getState() == Thread.State.WAITING);
    assertThat(taken).isNotDone();

    inbox.add("op");

    assertThat(taken.get(5, TimeUnit.SECONDS)).isEqualTo("op");
  }

  @Test
  void pollGivesUpAfterItsTimeoutWhenNothingCame() throws Exception {
    WriterInbox<String> inbox = new WriterInbox<>();

    assertThat(inbox.poll(TimeUnit.MILLISECONDS.toNanos(5))).isNull();

    inbox.add("later");
    assertThat(inbox.poll(TimeUnit.MILLISECONDS.toNanos(5))).isEqualTo("later");
  }

  @Test
  void drainStopsAtTheLimitAndKeepsTheRestInOrder() {
    WriterInbox<Integer> inbox = new WriterInbox<>();
    for (int i = 0; i < 10; i++) {
      inbox.add(i);
    }
    List<Integer> batch = new ArrayList<>(List.of(-1));

    inbox.drainTo(batch, 4);
    assertThat(batch).containsExactly(-1, 0, 1, 2);

    List<Integer> rest = new ArrayList<>();
    inbox.drainTo(rest, Integer.MAX_VALUE);
    assertThat(rest).containsExactly(3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void anItemAddedJustAsTheConsumerFallsAsleepStillWakesIt() throws Exception {
    // ping-pong: each add races with the consumer going back to sleep; a lost wake-up hangs a round
    WriterInbox<Integer> inbox = new WriterInbox<>();
    java.util.concurrent.SynchronousQueue<Integer> acks =
        new java.util.concurrent.SynchronousQueue<>();
    Thread consumer =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  try {
                    while (true) {
                      acks.put(inbox.take());
                    }
                  } catch (InterruptedException e) {
                    // test over
                  }
                });
    try {
      for (int round = 0; round < 20_000; round++) {
        inbox.add(round);
        assertThat(acks.poll(5, TimeUnit.SECONDS)).as("round %d", round).isEqualTo(round);
      }
    } finally {
      consumer.interrupt();
    }
  }

  @Test
  void everyItemFromManyProducersIsTakenOnce() throws Exception {
    WriterInbox<Integer> inbox = new WriterInbox<>();
    int producers = 8;
    int each = 20_000;
    Set<Integer> seen = new HashSet<>();
    CompletableFuture<Void> consumed = new CompletableFuture<>();
    Thread consumer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    List<Integer> batch = new ArrayList<>();
                    while (seen.size() < producers * each) {
                      batch.add(inbox.take());
                      inbox.drainTo(batch, 100);
                      for (Integer i : batch) {
                        assertThat(seen.add(i)).as("item %d taken twice", i).isTrue();
                      }
                      batch.clear();
                    }
                    consumed.complete(null);
                  } catch (Throwable e) {
                    consumed.completeExceptionally(e);
                  }
                });
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < producers; p++) {
      int base = p * each;
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = 0; i < each; i++) {
                      inbox.add(base + i);
                      if (i % 64 == 0) {
                        // let the consumer catch up and fall asleep now and then
                        Thread.yield();
                      }
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }

    consumed.get(30, TimeUnit.SECONDS);
    assertThat(seen).hasSize(producers * each);
    consumer.join(Duration.ofSeconds(5).toMillis());
  }
}
