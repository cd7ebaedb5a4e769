package io.alerthistory.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
  @Test
  void aLibpqUrlBecomesAJdbcUrlWithItsCredentialsApart() {
    DatabaseUrl url =
        DatabaseUrl.parse("postgres://alert:s3cr%2Bt@db.example:5433/history?sslmode=require");

    assertThat(url.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example:5433/history?sslmode=require");
    assertThat(url.user()).isEqualTo("alert");
    assertThat(url.password()).isEqualTo("s3cr+t");
    assertThat(url.redacted()).doesNotContain("s3cr").contains("db.example").contains("alert");
    assertThat(url.toString()).doesNotContain("s3cr");
    assertThat(url.scrub("FATAL: password s3cr+t rejected"))
        .isEqualTo("FATAL: password *** rejected");
  }

  @Test
  void aJdbcUrlIsTakenAsItIsAndItsPasswordParameterIsHidden() {
    DatabaseUrl url =
        DatabaseUrl.parse("jdbc:postgresql://127.0.0.1/history?user=alert&password=hunter2");

    assertThat(url.jdbcUrl())
        .isEqualTo("jdbc:postgresql://127.0.0.1/history?user=alert&password=hunter2");
    assertThat(url.redacted()).doesNotContain("hunter2").contains("password=***");
  }

  @Test
  void aBadValueStopsStartUpNamingTheVariableWithoutThePassword() {
    assertThatThrownBy(
            () ->
                Config.from(
                    Map.of("DATABASE_URL", "mysql://root:hunter2@db/x", "TARGETS_DIR", ".")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DATABASE_URL")
        .hasMessageContaining("postgres://user:password@host:port/database")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void theLeaseHasAFloor() {
    assertThatThrownBy(() -> Config.from(Map.of("STORE_LEASE", "1s", "TARGETS_DIR", ".")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("STORE_LEASE");
    assertThat(Config.from(Map.of("TARGETS_DIR", ".")).database()).isNull();
  }
}
