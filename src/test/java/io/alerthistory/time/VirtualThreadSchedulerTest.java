package io.alerthistory.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alerthistory.testing.Probes;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VirtualThreadSchedulerTest {

  @Test
  void runsEachTaskOnItsOwnNamedVirtualThread() {
    VirtualThreadScheduler s = new VirtualThreadScheduler("vts-a");
    AtomicReference<Thread> ran = new AtomicReference<>();
    s.schedule(Duration.ofMillis(20), () -> ran.set(Thread.currentThread()));

    await().until(() -> ran.get() != null);
    assertThat(ran.get().isVirtual()).isTrue();
    assertThat(ran.get().getName()).isEqualTo("vts-a-task-1");
    assertThat(s.shutdown(Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void aCancelledTaskNeverRuns() {
    VirtualThreadScheduler s = new VirtualThreadScheduler("vts-b");
    AtomicBoolean cancelledRan = new AtomicBoolean();
    CountDownLatch later = new CountDownLatch(1);
    s.schedule(Duration.ofMillis(50), () -> cancelledRan.set(true)).cancel();
    s.schedule(Duration.ofMillis(100), later::countDown);

    await().until(() -> later.getCount() == 0);
    assertThat(cancelledRan).isFalse();
    assertThat(s.shutdown(Duration.ofSeconds(2))).isTrue();
  }

  @Test
  void shutdownInterruptsRunningTasksAndLeavesNoThread() {
    VirtualThreadScheduler s = new VirtualThreadScheduler("vts-c");
    CountDownLatch entered = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    AtomicBoolean laterRan = new AtomicBoolean();
    s.schedule(
        Duration.ZERO,
        () -> {
          entered.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
        });
    s.schedule(Duration.ofHours(1), () -> laterRan.set(true));
    await().until(() -> entered.getCount() == 0);

    assertThat(s.shutdown(Duration.ofSeconds(2))).isTrue();

    assertThat(interrupted).isTrue();
    assertThat(laterRan).isFalse();
    assertThat(Probes.liveThreads("vts-c")).isEmpty();
    s.schedule(Duration.ZERO, () -> laterRan.set(true));
    assertThat(Probes.liveThreads("vts-c")).isEmpty();
  }
}
