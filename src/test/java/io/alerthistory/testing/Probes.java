package io.alerthistory.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.HotSpotDiagnosticMXBean;
import io.alerthistory.json.Json;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads what a test cannot see directly: exposed metrics, and live threads including virtual. */
public final class Probes {
  private Probes() {}

  /** The text exposition, as {@code GET /metrics} serves it. */
  public static String exposition(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** The value of one exposed sample such as {@code name{label="v"}}, or null when absent. */
  public static Double sample(PrometheusRegistry registry, String series) {
    for (String line : exposition(registry).split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    return null;
  }

  /**
   * Names of live threads starting with {@code prefix}. Thread.getAllStackTraces() leaves out
   * virtual threads, so this reads a JSON thread dump, which lists them.
   */
  public static List<String> liveThreads(String prefix) {
    try {
      Path dir = Files.createTempDirectory("threads");
      Path file = dir.resolve("dump.json");
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      JsonNode dump = Json.MAPPER.readTree(file.toFile());
      Files.delete(file);
      Files.delete(dir);
      List<String> names = new ArrayList<>();
      for (JsonNode threads : dump.findValues("threads")) {
        for (JsonNode t : threads) {
          String name = t.path("name").asText();
          if (name.startsWith(prefix)) {
            names.add(name);
          }
        }
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
