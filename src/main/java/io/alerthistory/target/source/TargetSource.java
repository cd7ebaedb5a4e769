package io.alerthistory.target.source;

import io.alerthistory.target.SourceEntry;
import java.util.List;
import java.util.function.Consumer;

/** Where target declarations come from: a directory of files, or Kubernetes Secrets. */
public interface TargetSource extends AutoCloseable {

  /** A short name for logs and status: {@code directory} or {@code kubernetes}. */
  String name();

  /**
   * Lists every declaration as it is now, from the authority (the API server, the disk). Entries
   * that cannot be read are returned as {@link SourceEntry.Unreadable}, so one bad entry never
   * hides the others.
   *
   * @throws TargetSourceException when the listing as a whole fails
   */
  List<SourceEntry> list() throws TargetSourceException;

  /**
   * Starts watching for changes. After each change (already debounced) {@code onChange} gets the
   * complete current listing. A source that cannot watch does nothing.
   */
  void watch(Consumer<List<SourceEntry>> onChange);

  /** Whether a watch is established and delivering changes right now. */
  boolean watching();

  /** Stops watching and releases threads and connections. */
  @Override
  void close();
}
