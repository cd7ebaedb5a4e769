package io.alerthistory.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real PostgreSQL harness: committed rows survive a fast stop and a kill -9. */
class PostgresServerTest {

  @Test
  void committedRowsSurviveStopAndKillMinusNine() throws Exception {
    try (PostgresServer pg = PostgresServer.start()) {
      assertThat(pg.jdbcUrl())
          .isEqualTo(
              "jdbc:postgresql://127.0.0.1:%d/alert_history?user=alert_history&password=secret"
                  .formatted(pg.port()));
      assertThat(pg.databaseUrl())
          .isEqualTo(
              "postgres://alert_history:secret@127.0.0.1:%d/alert_history".formatted(pg.port()));
      try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)");
        s.execute("INSERT INTO note VALUES (1, 'before stop')");
        try (ResultSet rs = s.executeQuery("SELECT current_user, current_database()")) {
          rs.next();
          assertThat(rs.getString(1)).isEqualTo("alert_history");
          assertThat(rs.getString(2)).isEqualTo("alert_history");
        }
      }
      // The password is checked on TCP, not trusted.
      assertThatThrownBy(
              () ->
                  DriverManager.getConnection(
                      pg.jdbcUrl().replace("password=secret", "password=x")))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("password authentication failed");

      pg.stop();
      assertThatThrownBy(pg::connect).isInstanceOf(SQLException.class);

      pg.restart();
      assertThat(notes(pg)).containsExactly("before stop");
      try (Connection c = pg.connect();
          Statement s = c.createStatement()) {
        s.execute("INSERT INTO note VALUES (2, 'before kill')");
      }

      pg.kill();
      assertThatThrownBy(pg::connect).isInstanceOf(SQLException.class);
      assertThat(portOpen(pg.port())).as("port released after kill").isFalse();

      pg.restart();
      assertThat(notes(pg)).containsExactly("before stop", "before kill");
    }
  }

  @Test
  void closeStopsTheServer() throws Exception {
    PostgresServer pg = PostgresServer.start();
    pg.close();
    assertThat(portOpen(pg.port())).isFalse();
    assertThatThrownBy(pg::connect).isInstanceOf(SQLException.class);
  }

  private static List<String> notes(PostgresServer pg) throws SQLException {
    List<String> bodies = new ArrayList<>();
    try (Connection c = pg.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT body FROM note ORDER BY id")) {
      while (rs.next()) {
        bodies.add(rs.getString(1));
      }
    }
    return bodies;
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
