package io.alerthistory.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alerthistory.alert.Notification;
import io.alerthistory.attempt.FailureReason;
import io.alerthistory.config.DatabaseUrl;
import io.alerthistory.delivery.AttemptRecord;
import io.alerthistory.delivery.DeadLetter;
import io.alerthistory.delivery.DeadLetterReason;
import io.alerthistory.delivery.DeadLetterStore;
import io.alerthistory.delivery.Delivery;
import io.alerthistory.testing.ManualScheduler;
import io.alerthistory.testing.MutableClock;
import io.alerthistory.testing.PostgresServer;
import io.alerthistory.testing.TestAlerts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store's contract on a real SQLite file and a real PostgreSQL server, and the leases replicas
 * take on PostgreSQL, with the lease clock moved by hand.
 */
class JdbcStoreTest {
  enum Backend {
    SQLITE,
    POSTGRESQL
  }

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static PostgresServer pg;
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final List<JdbcStore> opened = new ArrayList<>();

  @BeforeAll
  static void startPostgres() throws Exception {
    pg = PostgresServer.shared();
  }

  @BeforeEach
  void emptyDatabase() throws Exception {
    pg.emptyDatabase();
  }

  @AfterEach
  void closeStores() {
    opened.forEach(JdbcStore::close);
  }

  private JdbcStore open(Backend backend, String replica, int deadLetterCapacity) {
    StoreSettings settings = new StoreSettings(deadLetterCapacity, LEASE, replica, clock);
    JdbcStore store =
        switch (backend) {
          case SQLITE -> JdbcStore.openSqlite(dir, settings, new PrometheusRegistry());
          case POSTGRESQL ->
              JdbcStore.openPostgres(
                  DatabaseUrl.parse(pg.databaseUrl()), settings, new PrometheusRegistry());
        };
    opened.add(store);
    return store;
  }

  private JdbcStore open(Backend backend, String replica) {
    return open(backend, replica, 100);
  }

  /** A plain connection source to the database a store of {@code backend} opens. */
  private javax.sql.DataSource dataSource(Backend backend) {
    return switch (backend) {
      case SQLITE -> {
        var sqlite = new org.sqlite.SQLiteDataSource();
        sqlite.setUrl("jdbc:sqlite:" + dir.resolve(JdbcStore.SQLITE_FILE));
        yield sqlite;
      }
      case POSTGRESQL -> {
        var postgres = new org.postgresql.ds.PGSimpleDataSource();
        postgres.setURL(pg.jdbcUrl());
        yield postgres;
      }
    };
  }

  private static final Notification NOTE =
      TestAlerts.notification(
          TestAlerts.firing("One", "critical"), TestAlerts.firing("Two", "warning"));

  private Delivery delivery(String id) {
    return new Delivery(id, "hook", NOTE, NOTE.alerts(), clock.instant());
  }

  private static void accept(JdbcStore store, Delivery... deliveries) {
    store.accept(NOTE, null, List.of(deliveries)).join();
  }

  private static Set<String> ids(List<Delivery> deliveries) {
    Set<String> out = new HashSet<>();
    deliveries.forEach(d -> out.add(d.id()));
    return out;
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void flywayAppliesEveryMigrationUpToTheVersionTheStoreExpects(Backend backend) throws Exception {
    open(backend, "a").awaitOpen();

    assertThat(Migrations.appliedVersion(dataSource(backend))).isEqualTo(Migrations.LATEST);
    // a second start finds the schema current and opens without Flyway
    opened.getLast().close();
    opened.removeLast();
    assertThat(open(backend, "a").unfinished()).isEmpty();
  }

  @Test
  void aSqliteFileTheSchemaCannotBeCreatedInStopsStartUpNamingDataDir() throws Exception {
    try (var c = dataSource(Backend.SQLITE).getConnection();
        var st = c.createStatement()) {
      st.executeUpdate("CREATE TABLE journal (something_else TEXT)");
    }
    JdbcStore store = open(Backend.SQLITE, "a");

    assertThatThrownBy(store::awaitOpen)
        .isInstanceOf(io.alerthistory.config.ConfigException.class)
        .hasMessageContaining("DATA_DIR")
        .hasMessageContaining("no schema history table");
    assertThat(store.unavailable()).hasValueSatisfying(why -> assertThat(why).contains("prepared"));
    assertThatThrownBy(store::unfinished).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> store.accept(NOTE, null, List.of(delivery("d-1"))).join())
        .hasCauseInstanceOf(StoreUnavailableException.class);
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void acceptedDeliveriesAreRecoveredWithTheirAlertsUntilFinished(Backend backend) {
    JdbcStore first = open(backend, "a");
    Instant received = clock.instant();
    accept(first, delivery("d-1"), delivery("d-2"));
    first.finish("d-1");
    first.close();
    opened.remove(first);
    // the lease of the first run ran out (on SQLite any row is the new process's)
    clock.advance(LEASE.plusSeconds(1));

    List<Delivery> recovered = open(backend, "a").unfinished();

    assertThat(recovered).extracting(Delivery::id).containsExactly("d-2");
    assertThat(recovered.getFirst().fingerprints())
        .containsExactlyInAnyOrderElementsOf(
            NOTE.alerts().stream().map(a -> a.fingerprint()).toList());
    assertThat(recovered.getFirst().receivedAt()).isEqualTo(received);
  }

  @Test
  void aLiveReplicasDeliveriesAreNotClaimedByAnother() {
    JdbcStore a = open(Backend.POSTGRESQL, "a");
    JdbcStore b = open(Backend.POSTGRESQL, "b");
    accept(a, delivery("d-1"));

    clock.advance(LEASE.minusSeconds(1));

    assertThat(b.unfinished()).isEmpty();
  }

  @Test
  void leasesAreRenewedWhileTheReplicaLivesAndTakenOverOnceAfterItDies() {
    JdbcStore a = open(Backend.POSTGRESQL, "a");
    JdbcStore b = open(Backend.POSTGRESQL, "b");
    ManualScheduler aLeases = new ManualScheduler(clock);
    ManualScheduler bLeases = new ManualScheduler(clock);
    List<Delivery> takenByA = new CopyOnWriteArrayList<>();
    List<Delivery> takenByB = new CopyOnWriteArrayList<>();
    a.startLeases(aLeases, takenByA::addAll);
    b.startLeases(bLeases, takenByB::addAll);
    accept(a, delivery("d-1"), delivery("d-2"));

    // a renews every third of the lease, so its rows stay its own well past one lease
    for (int i = 0; i < 6; i++) {
      clock.advance(LEASE.dividedBy(3));
      aLeases.runDue();
      bLeases.runDue();
    }
    assertThat(takenByB).isEmpty();

    // a dies: its scheduler stops running; after the lease b claims both, once
    for (int i = 0; i < 6; i++) {
      clock.advance(LEASE.dividedBy(3));
      bLeases.runDue();
    }
    assertThat(takenByB).extracting(Delivery::id).containsExactlyInAnyOrder("d-1", "d-2");
    assertThat(takenByA).isEmpty();
  }

  @Test
  void replicasClaimingTogetherTakeEachExpiredDeliveryOnce() throws Exception {
    JdbcStore dead = open(Backend.POSTGRESQL, "dead");
    List<Delivery> many = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      many.add(delivery("d-" + i));
    }
    dead.accept(NOTE, null, many).join();
    clock.advance(LEASE.plusSeconds(1));
    JdbcStore b = open(Backend.POSTGRESQL, "b");
    JdbcStore c = open(Backend.POSTGRESQL, "c");

    CompletableFuture<List<Delivery>> byB = CompletableFuture.supplyAsync(b::unfinished);
    CompletableFuture<List<Delivery>> byC = CompletableFuture.supplyAsync(c::unfinished);

    Set<String> fromB = ids(byB.get());
    Set<String> fromC = ids(byC.get());
    assertThat(fromB).doesNotContainAnyElementsOf(fromC);
    Set<String> all = new HashSet<>(fromB);
    all.addAll(fromC);
    assertThat(all).hasSize(3000);
  }

  @Test
  void aReplicaGoneForADayIsForgottenOnceItOwnsNoDeliveries() throws Exception {
    JdbcStore dead = open(Backend.POSTGRESQL, "dead");
    open(Backend.POSTGRESQL, "idle");
    accept(dead, delivery("d-1"));
    clock.advance(Duration.ofHours(25));
    JdbcStore b = open(Backend.POSTGRESQL, "b");
    ManualScheduler bLeases = new ManualScheduler(clock);
    List<Delivery> taken = new CopyOnWriteArrayList<>();
    b.startLeases(bLeases, taken::addAll);

    clock.advance(LEASE.dividedBy(3));
    bLeases.runDue();
    // the idle replica's lease is gone; the dead one's stayed while it still owned d-1
    assertThat(taken).extracting(Delivery::id).containsExactly("d-1");
    assertThat(leaseCount()).isEqualTo(2);

    clock.advance(LEASE.dividedBy(3));
    bLeases.runDue();
    assertThat(leaseCount()).isEqualTo(1);
  }

  private int leaseCount() throws java.sql.SQLException {
    try (var c = dataSource(Backend.POSTGRESQL).getConnection();
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM replica_lease")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void deliveriesJournaledBeforeLeasesMovedToTheirOwnTableAreStillRecovered(Backend backend)
      throws Exception {
    javax.sql.DataSource data = dataSource(backend);
    Dialect dialect = backend == Backend.SQLITE ? Dialect.SQLITE : Dialect.POSTGRESQL;
    // a database written by the version before: each journal row carried its own lease
    org.flywaydb.core.Flyway.configure()
        .dataSource(data)
        .locations(dialect.migrations.toArray(String[]::new))
        .target("2")
        .load()
        .migrate();
    long leaseEnd = clock.millis() + LEASE.toMillis();
    try (var c = data.getConnection();
        var s = c.createStatement()) {
      s.executeUpdate(
          "INSERT INTO notification (id, body, received_at, pending) VALUES ('d-1', '"
              + Rows.json(NOTE)
              + "', '"
              + Times.format(clock.instant())
              + "', 1)");
      s.executeUpdate(
          "INSERT INTO journal (id, notification_id, target, fingerprints, received_at, owner,"
              + " lease_until) VALUES ('d-1', 'd-1', 'hook', '"
              + Rows.json(NOTE.alerts().stream().map(a -> a.fingerprint()).toList())
              + "', '"
              + Times.format(clock.instant())
              + "', 'old', "
              + leaseEnd
              + ")");
    }

    JdbcStore store = open(backend, "new");
    if (backend == Backend.POSTGRESQL) {
      // the old owner's lease carried over: not claimed while it runs
      assertThat(store.unfinished()).isEmpty();
      clock.advance(LEASE.plusSeconds(1));
    }
    assertThat(store.unfinished()).extracting(Delivery::id).containsExactly("d-1");
  }

  private DeadLetter letter(String id) {
    return new DeadLetter(
        "dl-" + id,
        delivery(id),
        DeadLetterReason.ATTEMPTS_EXHAUSTED,
        FailureReason.SERVER_ERROR,
        503,
        "HTTP 503",
        "unavailable",
        3,
        clock.instant(),
        clock.instant());
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void deadLettersPageNewestFirstAndEvictTheOldestPastCapacity(Backend backend) {
    DeadLetterStore letters = open(backend, "a", 3).deadLetters();
    List<DeadLetter> added = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      clock.advance(Duration.ofSeconds(1));
      added.add(letter("d-" + i));
      assertThat(letters.add(added.getLast()).map(DeadLetter::id))
          .isEqualTo(i == 4 ? java.util.Optional.of("dl-d-1") : java.util.Optional.empty());
    }

    DeadLetterStore.Page first =
        letters.list(new DeadLetterStore.Query(DeadLetterStore.Filter.ALL, null, 0, 2));
    DeadLetterStore.Page second =
        letters.list(
            new DeadLetterStore.Query(DeadLetterStore.Filter.ALL, first.nextCursor(), 0, 2));

    assertThat(first.letters()).extracting(DeadLetter::id).containsExactly("dl-d-4", "dl-d-3");
    assertThat(second.letters()).extracting(DeadLetter::id).containsExactly("dl-d-2");
    assertThat(second.nextCursor()).isNull();
    assertThat(letters.size()).isEqualTo(3);
    assertThat(letters.oldest(DeadLetterStore.Filter.ALL, 1))
        .extracting(DeadLetter::id)
        .containsExactly("dl-d-2");
    assertThat(letters.get("dl-d-3")).contains(added.get(2));
    assertThatThrownBy(
            () -> letters.list(new DeadLetterStore.Query(DeadLetterStore.Filter.ALL, "!", 0, 2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(letters.remove("dl-d-3")).isTrue();
    assertThat(letters.remove("dl-d-3")).isFalse();

    // a removal leaves a gap in the sequence: the queue is full again only at 3 letters
    assertThat(letters.add(letter("d-5"))).isEmpty();
    assertThat(letters.add(letter("d-6")).map(DeadLetter::id)).contains("dl-d-2");
    assertThat(letters.size()).isEqualTo(3);
  }

  @Test
  void everyReplicaSeesTheSameDeadLettersHistoryAndIncidents() {
    JdbcStore a = open(Backend.POSTGRESQL, "a");
    JdbcStore b = open(Backend.POSTGRESQL, "b");
    a.deadLetters().add(letter("d-1"));
    AttemptRecord attempt =
        new AttemptRecord(
            "hook", "d-1", 1, clock.instant().toString(), 200, "delivered", null, 3.5, null);
    a.attempted(List.of("fp-1"), attempt);
    a.incidents().put("rootly", "fp-1", "inc-42");

    assertThat(b.deadLetters().get("dl-d-1")).isPresent();
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !b.history("fp-1", clock.instant().minusSeconds(60), 10).isEmpty());
    assertThat(b.history("fp-1", clock.instant().minusSeconds(60), 10)).containsExactly(attempt);
    assertThat(b.incidents().incidentId("rootly", "fp-1")).contains("inc-42");
    b.incidents().remove("rootly", "fp-1");
    assertThat(a.incidents().incidentId("rootly", "fp-1")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void historyOlderThanTheRetentionIsNeitherServedNorKept(Backend backend) throws Exception {
    JdbcStore store = open(backend, "a");
    AttemptRecord old =
        new AttemptRecord(
            "hook", "d-1", 1, clock.instant().toString(), 500, "retry", "serverError", 3, null);
    store.attempted(List.of("fp-1"), old);
    clock.advance(Duration.ofHours(2));
    AttemptRecord recent =
        new AttemptRecord(
            "hook", "d-1", 2, clock.instant().toString(), 200, "delivered", null, 3, null);
    store.attempted(List.of("fp-1"), recent);

    assertThat(store.purgeAttemptsBefore(clock.instant().minus(Duration.ofHours(1))).get())
        .isEqualTo(1);
    assertThat(store.history("fp-1", Instant.EPOCH, 10)).containsExactly(recent);
  }
}
