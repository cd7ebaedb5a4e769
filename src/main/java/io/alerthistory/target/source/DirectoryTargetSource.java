package io.alerthistory.target.source;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.alerthistory.json.Json;
import io.alerthistory.target.SecretDecoder;
import io.alerthistory.target.SourceEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads targets from the {@code *.json}, {@code *.yaml} and {@code *.yml} files of one directory.
 * Each file holds target documents or Kubernetes Secret manifests (YAML files may hold several,
 * separated by {@code ---}), so the file you {@code kubectl apply} also works locally.
 *
 * <p>{@link #watch} follows the directory with a file watcher: changes are debounced, the whole
 * directory is re-read and the listing is handed on when it changed. A file that was readable and
 * turns unreadable (an editor half-way through writing it) keeps its previous entries until it has
 * stayed broken and unchanged for the settle period.
 */
public final class DirectoryTargetSource implements TargetSource {
  private static final YAMLMapper YAML = new YAMLMapper();

  private final Path dir;
  private final DirectoryWatchSettings settings;
  private final Object lifecycle = new Object();
  private volatile DirectoryWatcher watcher;
  private boolean closed;

  public DirectoryTargetSource(Path dir) {
    this(dir, DirectoryWatchSettings.defaults());
  }

  /**
   * @param debounce quiet time after the last file event before the directory is re-read
   */
  public DirectoryTargetSource(Path dir, Duration debounce) {
    this(dir, DirectoryWatchSettings.defaults().withDebounce(debounce));
  }

  public DirectoryTargetSource(Path dir, DirectoryWatchSettings settings) {
    this.dir = Objects.requireNonNull(dir);
    this.settings = Objects.requireNonNull(settings);
  }

  @Override
  public String name() {
    return "directory";
  }

  public Path directory() {
    return dir;
  }

  /** Whether a file name is one this source reads; hidden and editor temporary files are not. */
  public static boolean isTargetFile(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".json") || n.endsWith(".yaml") || n.endsWith(".yml"));
  }

  /**
   * Starts the watcher thread. The directory's state when this returns is the baseline: it is not
   * reported, every later change is. So a consumer that wants no gap calls this before its own
   * first {@link #list()}. If the directory cannot be watched (yet), the watcher retries every
   * {@link DirectoryWatchSettings#retryPeriod()} and reports what it finds once it can.
   *
   * @throws IllegalStateException when already watching or closed
   */
  @Override
  public void watch(Consumer<List<SourceEntry>> onChange) {
    Objects.requireNonNull(onChange);
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("directory target source is closed");
      }
      if (watcher != null) {
        throw new IllegalStateException("already watching " + dir);
      }
      DirectoryWatcher w = new DirectoryWatcher(dir, settings, this::readFiles, onChange);
      watcher = w;
      w.start();
    }
  }

  @Override
  public boolean watching() {
    DirectoryWatcher w = watcher;
    return w != null && w.watching();
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      closed = true;
      if (watcher != null) {
        watcher.close();
      }
    }
  }

  @Override
  public List<SourceEntry> list() throws TargetSourceException {
    List<SourceEntry> out = new ArrayList<>();
    for (DirectoryFile f : readFiles()) {
      out.addAll(f.entries());
    }
    return out;
  }

  /** Reads every target file, with the size and modification time seen before reading it. */
  List<DirectoryFile> readFiles() throws TargetSourceException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(Files::isRegularFile)
              .filter(DirectoryTargetSource::isTargetFile)
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new TargetSourceException(
          "cannot list " + dir + ": " + e.getMessage(), TargetSourceException.ErrorType.CONFIG, e);
    }
    List<DirectoryFile> out = new ArrayList<>(files.size());
    for (Path f : files) {
      long size = -1;
      FileTime modified = null;
      try {
        BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
        size = a.size();
        modified = a.lastModifiedTime();
      } catch (IOException e) {
        // gone or unreadable: read() reports it as an unreadable entry
      }
      out.add(new DirectoryFile(f, size, modified, read(f)));
    }
    return out;
  }

  /** Reads one file into entries; a file that cannot be read is a single unreadable entry. */
  public static List<SourceEntry> read(Path file) {
    String origin = file.toString();
    String baseName = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
    List<JsonNode> docs = new ArrayList<>();
    try {
      if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
        docs.add(Json.MAPPER.readTree(file.toFile()));
      } else {
        try (MappingIterator<JsonNode> it =
            YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (it.hasNext()) {
            JsonNode n = it.next();
            if (n != null && !n.isNull() && !n.isMissingNode()) {
              docs.add(n);
            }
          }
        }
      }
    } catch (JacksonException e) {
      return List.of(unreadable(origin, baseName, "file is not valid JSON or YAML" + location(e)));
    } catch (IOException | RuntimeException e) {
      return List.of(
          unreadable(origin, baseName, "cannot read file: " + e.getClass().getSimpleName()));
    }
    List<SourceEntry> out = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      String docOrigin = docs.size() == 1 ? origin : origin + "#" + (i + 1);
      out.add(entry(docOrigin, baseName, docs.get(i)));
    }
    return out;
  }

  private static SourceEntry entry(String origin, String baseName, JsonNode doc) {
    if (!"Secret".equals(doc.path("kind").asText())) {
      return new SourceEntry.Declared(origin, "", baseName, doc);
    }
    JsonNode meta = doc.path("metadata");
    String name = meta.path("name").asText(baseName);
    String namespace = meta.path("namespace").asText("");
    return SecretDecoder.decode(
        origin, namespace, name, strings(doc.path("stringData")), strings(doc.path("data")));
  }

  private static Map<String, String> strings(JsonNode node) {
    Map<String, String> out = new HashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static SourceEntry unreadable(String origin, String name, String reason) {
    return new SourceEntry.Unreadable(origin, "", name, reason);
  }

  private static String location(JacksonException e) {
    var loc = e.getLocation();
    return loc == null || loc.getLineNr() < 0 ? "" : " (line " + loc.getLineNr() + ")";
  }
}
