package io.alerthistory.config;

import io.alerthistory.delivery.DeliverySettings;
import io.alerthistory.refresh.RefreshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The service's settings, read once from environment variables at start-up.
 *
 * @param httpHost address the HTTP server binds to
 * @param httpPort port of the HTTP server; 0 picks a free port
 * @param targetSource where targets come from: {@code directory} or {@code kubernetes}
 * @param targetsDir directory of target documents and Secret manifests (directory source)
 * @param targetNamespaces namespaces watched for target Secrets; empty means the pod's own
 * @param targetLabelSelector label selector that marks a Secret as a target
 * @param refresh the {@code TARGET_REFRESH_*} settings
 * @param adminToken bearer token admin endpoints require, or null when they are open
 * @param maxBodyBytes largest accepted webhook body
 * @param shutdownTimeout how long in-flight deliveries may take to finish on shutdown
 * @param delivery the delivery engine's settings ({@code DELIVERY_*}, {@code DEDUP_WINDOW}, {@code
 *     DEAD_LETTER_CAPACITY}, {@code HISTORY_RETENTION})
 * @param healthCheckInterval time between active probes of each enabled target
 * @param logFormat {@code json} or {@code text}
 * @param logLevel root log level
 * @param dataDir directory of the SQLite store; created at start when missing
 * @param database the PostgreSQL store shared by replicas, or null to use SQLite under dataDir
 * @param storeLease how long a replica's claim on its journaled deliveries lasts without renewal
 * @param replica names this replica in a shared store: {@code HOSTNAME} (the pod name on
 *     Kubernetes), else the machine's host name
 */
public record Config(
    String httpHost,
    int httpPort,
    String targetSource,
    Path targetsDir,
    java.util.List<String> targetNamespaces,
    String targetLabelSelector,
    RefreshSettings refresh,
    String adminToken,
    long maxBodyBytes,
    Duration shutdownTimeout,
    DeliverySettings delivery,
    Duration healthCheckInterval,
    String logFormat,
    String logLevel,
    Path dataDir,
    DatabaseUrl database,
    Duration storeLease,
    String replica) {

  /**
   * Reads the configuration, failing with a {@link ConfigException} naming the first bad variable.
   */
  public static Config from(Map<String, String> environment) {
    Env env = new Env(environment);
    String source = env.oneOf("TARGET_SOURCE", "directory", Set.of("directory", "kubernetes"));
    RefreshSettings defaults = RefreshSettings.defaults();
    Duration min = Duration.ofMillis(1);
    return new Config(
        env.string("HTTP_HOST", "0.0.0.0"),
        env.integer("HTTP_PORT", 8080, 0, 65535),
        source,
        source.equals("directory")
            ? env.directory("TARGETS_DIR", "./targets")
            : Path.of(env.string("TARGETS_DIR", "./targets")),
        env.list("TARGET_NAMESPACES"),
        env.labelSelector("TARGET_LABEL_SELECTOR", "publishing-target=true"),
        new RefreshSettings(
            env.duration("TARGET_REFRESH_INTERVAL", defaults.interval(), Duration.ofSeconds(1)),
            env.duration("TARGET_REFRESH_WARMUP", defaults.warmup(), Duration.ZERO),
            env.integer("TARGET_REFRESH_MAX_RETRIES", defaults.maxRetries(), 0, 100),
            env.duration("TARGET_REFRESH_BASE_BACKOFF", defaults.baseBackoff(), min),
            env.duration("TARGET_REFRESH_MAX_BACKOFF", defaults.maxBackoff(), min),
            env.duration("TARGET_REFRESH_RATE_LIMIT", defaults.rateLimit(), Duration.ZERO),
            env.duration("TARGET_REFRESH_TIMEOUT", defaults.timeout(), min)),
        env.optional("ADMIN_TOKEN"),
        env.bytes("MAX_BODY_BYTES", 4L * 1024 * 1024),
        env.duration("SHUTDOWN_TIMEOUT", Duration.ofSeconds(30), Duration.ZERO),
        delivery(env),
        env.duration("HEALTH_CHECK_INTERVAL", Duration.ofMinutes(2), Duration.ofSeconds(1)),
        env.oneOf("LOG_FORMAT", "json", Set.of("json", "text")),
        env.oneOf("LOG_LEVEL", "info", Set.of("trace", "debug", "info", "warn", "error")),
        Path.of(env.string("DATA_DIR", "./data")),
        databaseUrl(env.optional("DATABASE_URL")),
        env.duration("STORE_LEASE", Duration.ofSeconds(30), Duration.ofSeconds(3)),
        replica(env.optional("HOSTNAME")));
  }

  private static String replica(String hostname) {
    if (hostname != null && !hostname.isBlank()) {
      return hostname;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  private static DatabaseUrl databaseUrl(String value) {
    return value == null || value.isBlank() ? null : DatabaseUrl.parse(value);
  }

  private static DeliverySettings delivery(Env env) {
    DeliverySettings d = DeliverySettings.defaults();
    return d.toBuilder()
        .maxAttempts(env.integer("DELIVERY_MAX_ATTEMPTS", d.maxAttempts(), 1, 100))
        .maxAge(env.duration("DELIVERY_MAX_AGE", d.maxAge(), Duration.ofSeconds(1)))
        .queueCapacity(env.integer("DELIVERY_QUEUE_CAPACITY", d.queueCapacity(), 1, 1_000_000))
        .concurrency(env.integer("DELIVERY_CONCURRENCY", d.concurrency(), 1, 256))
        .dedupWindow(env.duration("DEDUP_WINDOW", d.dedupWindow(), Duration.ZERO))
        .breakerFailureRate(
            env.integer("DELIVERY_BREAKER_FAILURE_RATE", d.breakerFailureRate(), 1, 100))
        .breakerOpenDuration(
            env.duration(
                "DELIVERY_BREAKER_OPEN_DURATION", d.breakerOpenDuration(), Duration.ofSeconds(1)))
        .deadLetterCapacity(
            env.integer("DEAD_LETTER_CAPACITY", d.deadLetterCapacity(), 1, 1_000_000))
        .historyRetention(
            env.duration("HISTORY_RETENTION", d.historyRetention(), Duration.ofMillis(1)))
        .build();
  }
}
