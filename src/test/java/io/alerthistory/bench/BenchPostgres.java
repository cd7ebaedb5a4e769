package io.alerthistory.bench;

import io.alerthistory.testing.PostgresServer;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL server (Debian's binaries) on a free loopback port for the benchmark scripts:
 * prints {@code DATABASE_URL=...} and runs until killed, then stops the server and removes its
 * files.
 */
public final class BenchPostgres {
  private BenchPostgres() {}

  public static void main(String[] args) throws Exception {
    PostgresServer pg = PostgresServer.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    pg.close();
                  } catch (Exception e) {
                    System.err.println("stopping PostgreSQL failed: " + e);
                  }
                }));
    System.out.println("DATABASE_URL=" + pg.databaseUrl());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
