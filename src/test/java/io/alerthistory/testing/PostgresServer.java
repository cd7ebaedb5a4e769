package io.alerthistory.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from Debian's {@code postgresql} package, in a fresh temp data dir on a
 * free loopback port, with a database {@code alert_history} owned by the role {@code alert_history}
 * (password {@code secret}).
 *
 * <p>The binaries come from {@code $PG_BIN}, else the highest {@code /usr/lib/postgresql/<v>/bin}.
 * PostgreSQL refuses to run as root, so as root every server binary runs as the {@code postgres} OS
 * user through {@code setpriv}, which execs in place: the child {@link Process} is the postmaster
 * itself. A JVM shutdown hook kills the server if the test never closes it.
 */
public final class PostgresServer implements AutoCloseable {
  private static final String DB = "alert_history";
  private static final String USER = "alert_history";
  private static final String PASSWORD = "secret";
  private static final String ADMIN_PASSWORD = "postgres";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

  private final Path bin;
  private final Path base;
  private final Path data;
  private final Path sockets;
  private final Path log;
  private final int port;
  private final boolean root;
  private final Thread shutdownHook;
  private volatile Process process;

  private PostgresServer(Path bin, Path base, int port, boolean root) {
    this.bin = bin;
    this.base = base;
    this.data = base.resolve("data");
    this.sockets = base.resolve("sockets");
    this.log = base.resolve("postgres.log");
    this.port = port;
    this.root = root;
    this.shutdownHook = new Thread(this::destroyAndDelete, "postgres-server-cleanup");
  }

  private static PostgresServer shared;

  /**
   * One server for the whole test run, started on first use and removed by the shutdown hook, for
   * test classes that only need an empty database ({@link #emptyDatabase}) and never stop it: it
   * saves an initdb and a server start per class. Tests that stop or kill their server start their
   * own.
   */
  public static synchronized PostgresServer shared()
      throws IOException, InterruptedException, SQLException {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  /**
   * Runs {@code initdb} in a new temp dir, starts the server, waits until it accepts connections
   * and creates the {@code alert_history} role and database.
   *
   * @throws IllegalStateException when no PostgreSQL binaries are installed
   */
  public static PostgresServer start() throws IOException, InterruptedException, SQLException {
    Path bin = binaries();
    boolean root = isRoot();
    Path base = Files.createTempDirectory("postgres-");
    Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
    PostgresServer pg = new PostgresServer(bin, base, ServiceProcess.freePort(), root);
    Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
    try {
      pg.initdb();
      pg.launch();
      try (Connection admin = pg.admin();
          Statement s = admin.createStatement()) {
        s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
        s.execute("CREATE DATABASE " + DB + " OWNER " + USER);
      }
      return pg;
    } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
      try {
        pg.close();
      } catch (IOException | InterruptedException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/alert_history?user=alert_history&password=...}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:%d/%s?user=%s&password=%s"
        .formatted(port, DB, USER, PASSWORD);
  }

  /**
   * The same database as a libpq URL: {@code postgres://alert_history:secret@127.0.0.1:<port>/..}.
   */
  public String databaseUrl() {
    return "postgres://%s:%s@127.0.0.1:%d/%s".formatted(USER, PASSWORD, port, DB);
  }

  public int port() {
    return port;
  }

  /** A new connection as {@code alert_history} to its database; the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl());
  }

  /** Drops every table of the test database, for a test that starts from an empty store. */
  public void emptyDatabase() throws SQLException {
    try (Connection c = connect();
        java.sql.Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA public CASCADE");
      s.execute("CREATE SCHEMA public");
    }
  }

  /** Fast shutdown ({@code pg_ctl stop -m fast}: SIGINT to the postmaster); waits for the exit. */
  public void stop() throws IOException, InterruptedException {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    boolean stopped =
        run(
                List.of(
                    bin.resolve("pg_ctl").toString(),
                    "stop",
                    "-D",
                    data.toString(),
                    "-m",
                    "fast",
                    "-w"))
            && p.waitFor(30, TimeUnit.SECONDS);
    if (!stopped) {
      kill();
    }
  }

  /**
   * {@code kill -9} of the postmaster and of its backends (which would otherwise hold the port and
   * the shared memory); waits until they are gone. Committed data survives through WAL recovery.
   */
  public void kill() throws InterruptedException {
    Process p = process;
    if (p != null) {
      killTree(p);
    }
  }

  /**
   * Starts the server again on the same port and data dir, after {@link #stop()} or {@link #kill()}
   * (stopping it first if it runs), and waits until it accepts connections.
   */
  public void restart() throws IOException, InterruptedException {
    stop();
    // Our postmaster is dead: a lock file left by kill -9 names a pid that may since be reused.
    Files.deleteIfExists(data.resolve("postmaster.pid"));
    Files.deleteIfExists(sockets.resolve(".s.PGSQL." + port + ".lock"));
    Files.deleteIfExists(sockets.resolve(".s.PGSQL." + port));
    launch();
  }

  /** Stops the server if it runs and deletes the temp dir. */
  @Override
  public void close() throws IOException, InterruptedException {
    try {
      stop();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
      TempDirs.delete(base);
    }
  }

  private void initdb() throws IOException, InterruptedException {
    Path pwfile = base.resolve("pwfile");
    Files.writeString(pwfile, ADMIN_PASSWORD + "\n");
    Files.createDirectory(data);
    Files.createDirectory(sockets);
    if (root) {
      checkReachableByPostgres(base);
      UserPrincipal postgres = postgresUser();
      for (Path p : List.of(pwfile, data, sockets)) {
        Files.setOwner(p, postgres);
      }
    }
    boolean ok =
        run(
            List.of(
                bin.resolve("initdb").toString(),
                "-D",
                data.toString(),
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--pwfile=" + pwfile));
    if (!ok) {
      throw new IllegalStateException("initdb failed:\n" + logTail());
    }
  }

  private void launch() throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                asServerUser(
                    List.of(
                        bin.resolve("postgres").toString(),
                        "-D",
                        data.toString(),
                        "-k",
                        sockets.toString(),
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port),
                        "-c",
                        "fsync=on",
                        "-c",
                        "max_connections=100")))
            .directory(base.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process p = pb.start();
    process = p;
    try {
      await()
          .atMost(READY_TIMEOUT)
          .pollInterval(Duration.ofMillis(50))
          .failFast("postgres exited", () -> !p.isAlive())
          .ignoreExceptions()
          .until(
              () -> {
                try (Connection c = admin()) {
                  return c.isValid(1);
                }
              });
    } catch (RuntimeException e) {
      killTree(p);
      throw new IllegalStateException("postgres did not accept connections:\n" + logTail(), e);
    }
  }

  private Connection admin() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:%d/postgres?user=postgres&password=%s&connectTimeout=2"
            .formatted(port, ADMIN_PASSWORD));
  }

  /** Runs a server tool to completion with its output in the log; true when it exits 0. */
  private boolean run(List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(asServerUser(command))
            .directory(base.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      return false;
    }
    return p.exitValue() == 0;
  }

  /** As root, {@code setpriv} switches to the postgres user and execs the command in place. */
  private List<String> asServerUser(List<String> command) {
    if (!root) {
      return command;
    }
    List<String> all =
        new ArrayList<>(
            List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--"));
    all.addAll(command);
    return all;
  }

  private static void killTree(Process p) throws InterruptedException {
    // Snapshot first: once the postmaster dies its backends are re-parented and lost to us.
    List<ProcessHandle> descendants = p.descendants().toList();
    p.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    p.waitFor();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle h : descendants) {
      while (h.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
    }
  }

  private void destroyAndDelete() {
    Process p = process;
    try {
      if (p != null) {
        killTree(p);
      }
      TempDirs.delete(base);
    } catch (InterruptedException | IOException | RuntimeException e) {
      // best effort while the JVM exits
    }
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  static Path binaries() throws IOException {
    String env = System.getenv("PG_BIN");
    if (env != null && !env.isBlank()) {
      Path bin = Path.of(env);
      if (!Files.isExecutable(bin.resolve("postgres"))) {
        throw new IllegalStateException("PG_BIN=" + env + " holds no postgres binary");
      }
      return bin;
    }
    Optional<Path> newest;
    try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
      newest =
          versions
              .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)*"))
              .filter(v -> Files.isExecutable(v.resolve("bin/postgres")))
              .max(Comparator.comparing(v -> v.getFileName().toString(), PostgresServer::byVersion))
              .map(v -> v.resolve("bin"));
    } catch (NoSuchFileException e) {
      newest = Optional.empty();
    }
    return newest.orElseThrow(
        () ->
            new IllegalStateException(
                "no PostgreSQL server in "
                    + DEBIAN_ROOT
                    + "/*/bin and PG_BIN is not set: "
                    + "install Debian's postgresql package: apt-get install postgresql"));
  }

  private static int byVersion(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c =
          Integer.compare(
              i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static boolean isRoot() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
  }

  private static UserPrincipal postgresUser() throws IOException {
    try {
      return FileSystems.getDefault()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName("postgres");
    } catch (UserPrincipalNotFoundException e) {
      throw new IllegalStateException(
          "running as root needs the postgres OS user: "
              + "install Debian's postgresql package: apt-get install postgresql",
          e);
    }
  }

  /** As root the server runs as postgres, which must be able to traverse every parent dir. */
  private static void checkReachableByPostgres(Path dir) throws IOException {
    for (Path p = dir.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
      if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException(
            "the postgres user cannot reach "
                + dir
                + " ("
                + p
                + " is not world-searchable): point java.io.tmpdir elsewhere");
      }
    }
  }
}
