package io.alerthistory.store;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer thread's queue: many producers, one consumer. A producer wakes the consumer only when
 * it sleeps, so while the writer is busy committing, queueing costs a webhook no lock and no system
 * call. (A {@code LinkedBlockingQueue} takes a lock on every add and signals the writer whenever it
 * had emptied the queue; on a small virtual machine those wake-ups cost more than the SQL.)
 */
final class WriterInbox<T> {
  private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
  // the consumer while it is parked, else null
  private volatile Thread sleeping;

  void add(T item) {
    items.add(item);
    Thread consumer = sleeping;
    if (consumer != null) {
      LockSupport.unpark(consumer);
    }
  }

  /** Waits for the next item; for the consumer thread only. */
  T take() throws InterruptedException {
    return poll(-1);
  }

  /**
   * The next item, waiting at most {@code nanos} for one (without limit when negative); null when
   * none came in time. For the consumer thread only.
   */
  T poll(long nanos) throws InterruptedException {
    T item = items.poll();
    if (item != null) {
      return item;
    }
    long deadline = System.nanoTime() + nanos;
    // announce the sleep before looking again, so an add that follows the look unparks us
    sleeping = Thread.currentThread();
    try {
      while ((item = items.poll()) == null) {
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
        if (nanos < 0) {
          LockSupport.park(this);
        } else {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return null;
          }
          LockSupport.parkNanos(this, left);
        }
      }
      return item;
    } finally {
      sleeping = null;
    }
  }

  /** Moves queued items into {@code into} until it holds {@code max}; never waits. */
  void drainTo(List<T> into, int max) {
    T item;
    while (into.size() < max && (item = items.poll()) != null) {
      into.add(item);
    }
  }
}
