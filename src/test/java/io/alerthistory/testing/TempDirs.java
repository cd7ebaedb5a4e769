package io.alerthistory.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories of tests and benchmarks that are removed again: a benchmark's SQLite file
 * grows to a gigabyte or more, and runs must not fill the disk.
 */
public final class TempDirs {
  private TempDirs() {}

  /** A new directory under java.io.tmpdir, deleted with its contents when the JVM exits. */
  public static Path deletedOnExit(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    delete(dir);
                  } catch (IOException e) {
                    System.err.println("could not delete " + dir + ": " + e);
                  }
                },
                "delete-" + prefix));
    return dir;
  }

  /** Deletes {@code dir} and everything in it; nothing when it does not exist. */
  public static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
