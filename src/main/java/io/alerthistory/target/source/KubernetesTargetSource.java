package io.alerthistory.target.source;

import com.fasterxml.jackson.core.JacksonException;
import io.alerthistory.target.SecretDecoder;
import io.alerthistory.target.SourceEntry;
import io.alerthistory.target.source.TargetSourceException.ErrorType;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads targets from labelled Kubernetes Secrets (DESIGN §3.2). {@link #list()} asks the API
 * server; {@link #watch} runs one label-selected informer per namespace and reports the informers'
 * caches after each change. The Secrets' contents never appear in messages or logs.
 */
public final class KubernetesTargetSource implements TargetSource {
  private static final Logger log = LoggerFactory.getLogger(KubernetesTargetSource.class);

  /** Where a pod finds its own namespace. */
  public static final Path SERVICE_ACCOUNT_NAMESPACE_FILE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  public static final String DEFAULT_NAMESPACE = "default";

  /** The name of the one thread this source owns (debounce and watch monitoring). */
  public static final String THREAD_NAME = "kubernetes-target-source";

  static final Duration MAX_DEBOUNCE = Duration.ofMillis(200);
  private static final Duration WATCH_CHECK_INTERVAL = Duration.ofSeconds(1);
  private static final int MAX_STATUS_MESSAGE = 300;
  private static final int CLIENT_RETRIES = 3;

  private final KubernetesClient client;
  private final boolean ownsClient;
  private final List<String> namespaces;
  private final String labelSelector;
  private final Duration debounce;
  private final Duration watchCheckInterval;

  private final Object lock = new Object();
  private final AtomicBoolean emitPending = new AtomicBoolean();
  private final List<NamespaceWatch> watches = new ArrayList<>();
  private ScheduledExecutorService scheduler;
  private Consumer<List<SourceEntry>> onChange;
  private Map<String, String> lastEmitted;
  private boolean closed;

  /**
   * @param client the client to use; the caller keeps ownership and closes it
   * @param namespaces namespaces to read, at least one
   * @param labelSelector equality-based selector, e.g. {@code publishing-target=true}
   * @param debounce how long changes are gathered before one listing is reported, at most 200 ms
   */
  public KubernetesTargetSource(
      KubernetesClient client, List<String> namespaces, String labelSelector, Duration debounce) {
    this(client, false, namespaces, labelSelector, debounce, WATCH_CHECK_INTERVAL);
  }

  KubernetesTargetSource(
      KubernetesClient client,
      boolean ownsClient,
      List<String> namespaces,
      String labelSelector,
      Duration debounce,
      Duration watchCheckInterval) {
    this.client = Objects.requireNonNull(client, "client");
    this.ownsClient = ownsClient;
    this.namespaces = validNamespaces(namespaces);
    if (labelSelector == null || labelSelector.isBlank()) {
      throw new IllegalArgumentException("a label selector is required");
    }
    this.labelSelector = labelSelector.strip();
    if (debounce.isNegative() || debounce.compareTo(MAX_DEBOUNCE) > 0) {
      throw new IllegalArgumentException("debounce must be between 0 and 200ms: " + debounce);
    }
    this.debounce = debounce;
    this.watchCheckInterval = watchCheckInterval;
  }

  /**
   * A source with its own client, configured as fabric8 does by default: in-cluster from the
   * service account when running in a pod, else from the kubeconfig. {@link #close()} closes it.
   */
  public static KubernetesTargetSource connect(
      List<String> namespaces, String labelSelector, Duration debounce) {
    KubernetesClient client = newClient();
    try {
      return new KubernetesTargetSource(
          client, true, namespaces, labelSelector, debounce, WATCH_CHECK_INTERVAL);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /**
   * A client configured from the pod's service account, else from the kubeconfig. Its own request
   * retries are few, so a failing listing is reported within about a second and the refresh
   * manager's backoff decides what happens next.
   */
  public static KubernetesClient newClient() {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null))
            .withRequestRetryBackoffLimit(CLIENT_RETRIES)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** The configured namespaces, or the pod's own namespace when none are configured. */
  public static List<String> namespacesOrDefault(List<String> configured) {
    return configured == null || configured.isEmpty()
        ? List.of(defaultNamespace())
        : List.copyOf(configured);
  }

  /** The pod's own namespace, or {@value #DEFAULT_NAMESPACE} off Kubernetes. */
  public static String defaultNamespace() {
    return defaultNamespace(SERVICE_ACCOUNT_NAMESPACE_FILE);
  }

  /** The namespace written in the file, or {@value #DEFAULT_NAMESPACE} if it cannot be read. */
  public static String defaultNamespace(Path namespaceFile) {
    try {
      String ns = Files.readString(namespaceFile).strip();
      return ns.isEmpty() ? DEFAULT_NAMESPACE : ns;
    } catch (IOException | RuntimeException e) {
      return DEFAULT_NAMESPACE;
    }
  }

  @Override
  public String name() {
    return "kubernetes";
  }

  public List<String> namespaces() {
    return namespaces;
  }

  public String labelSelector() {
    return labelSelector;
  }

  @Override
  public List<SourceEntry> list() throws TargetSourceException {
    List<SourceEntry> out = new ArrayList<>();
    for (String ns : namespaces) {
      List<Secret> secrets;
      try {
        secrets =
            client.secrets().inNamespace(ns).withLabelSelector(labelSelector).list().getItems();
      } catch (RuntimeException e) {
        ErrorType type = classify(e);
        String message = "listing Secrets in namespace " + ns + " failed: " + describe(e, type);
        // A parse error's cause may quote the response, which holds Secret data.
        throw new TargetSourceException(message, type, type == ErrorType.PARSE ? null : e);
      }
      for (Secret s : secrets) {
        out.add(entry(s));
      }
    }
    out.sort(Comparator.comparing(SourceEntry::origin));
    return out;
  }

  @Override
  public void watch(Consumer<List<SourceEntry>> onChange) {
    Objects.requireNonNull(onChange, "onChange");
    synchronized (lock) {
      if (closed) {
        return;
      }
      if (this.onChange != null) {
        throw new IllegalStateException("already watching");
      }
      this.onChange = onChange;
      ScheduledThreadPoolExecutor executor =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, THREAD_NAME);
                t.setDaemon(true);
                return t;
              });
      executor.setRemoveOnCancelPolicy(true);
      scheduler = executor;
      for (String ns : namespaces) {
        SharedIndexInformer<Secret> informer =
            client.secrets().inNamespace(ns).withLabelSelector(labelSelector).runnableInformer(0);
        informer.addEventHandler(new ChangeHandler());
        // The default handler gives up after a failed first list or a watch error; keep trying.
        informer.exceptionHandler((started, t) -> retryAfter(ns, started, t));
        watches.add(new NamespaceWatch(ns, informer));
      }
      for (NamespaceWatch w : watches) {
        log.atInfo()
            .addKeyValue("namespace", w.namespace)
            .addKeyValue("selector", labelSelector)
            .log("starting Secret watch");
        w.informer
            .start()
            .whenComplete(
                (ok, error) -> {
                  if (error == null) {
                    scheduleEmit();
                  }
                });
      }
      long every = Math.max(1, watchCheckInterval.toMillis());
      scheduler.scheduleWithFixedDelay(this::checkWatches, every, every, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public boolean watching() {
    synchronized (lock) {
      return !closed
          && !watches.isEmpty()
          && watches.stream().allMatch(w -> w.informer.isWatching());
    }
  }

  @Override
  public void close() {
    ScheduledExecutorService executor;
    List<NamespaceWatch> stopping;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      executor = scheduler;
      stopping = List.copyOf(watches);
    }
    for (NamespaceWatch w : stopping) {
      try {
        w.informer.stop();
      } catch (RuntimeException e) {
        log.atWarn()
            .addKeyValue("namespace", w.namespace)
            .addKeyValue("error", e.getClass().getSimpleName())
            .log("stopping Secret watch failed");
      }
    }
    if (executor != null) {
      executor.shutdownNow();
      try {
        if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
          log.atWarn().log("Kubernetes target source thread did not stop within 5s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (ownsClient) {
      client.close();
    }
  }

  private static SourceEntry entry(Secret s) {
    String ns = s.getMetadata().getNamespace();
    String name = s.getMetadata().getName();
    return SecretDecoder.decode(ns + "/" + name, ns, name, s.getStringData(), s.getData());
  }

  private void scheduleEmit() {
    ScheduledExecutorService executor;
    synchronized (lock) {
      if (closed || scheduler == null) {
        return;
      }
      executor = scheduler;
    }
    // Later changes inside the window ride along with this one, so latency stays bounded.
    if (emitPending.compareAndSet(false, true)) {
      try {
        executor.schedule(this::emit, debounce.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        emitPending.set(false);
      }
    }
  }

  private void emit() {
    emitPending.set(false);
    Consumer<List<SourceEntry>> consumer;
    List<SharedIndexInformer<Secret>> informers;
    synchronized (lock) {
      if (closed) {
        return;
      }
      consumer = onChange;
      informers = watches.stream().map(w -> w.informer).toList();
    }
    // A namespace not yet listed would look empty and drop its targets; wait for all.
    if (!informers.stream().allMatch(SharedIndexInformer::hasSynced)) {
      return;
    }
    List<Secret> secrets = new ArrayList<>();
    informers.forEach(i -> secrets.addAll(i.getStore().list()));
    Map<String, String> versions = new HashMap<>();
    boolean versioned = true;
    for (Secret s : secrets) {
      String version = s.getMetadata().getResourceVersion();
      versioned &= version != null;
      versions.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), version);
    }
    if (versioned && versions.equals(lastEmitted)) {
      return;
    }
    List<SourceEntry> entries =
        secrets.stream()
            .map(KubernetesTargetSource::entry)
            .sorted(Comparator.comparing(SourceEntry::origin))
            .toList();
    try {
      consumer.accept(entries);
      lastEmitted = versioned ? versions : null;
    } catch (RuntimeException e) {
      log.atError()
          .addKeyValue("error", e.getClass().getName())
          .log("handling a change of target Secrets failed");
    }
  }

  private void checkWatches() {
    List<NamespaceWatch> current;
    synchronized (lock) {
      if (closed) {
        return;
      }
      current = List.copyOf(watches);
    }
    for (NamespaceWatch w : current) {
      boolean now = w.informer.isWatching();
      if (now == w.lastWatching) {
        continue;
      }
      w.lastWatching = now;
      if (now && !w.everWatched) {
        w.everWatched = true;
        log.atInfo()
            .addKeyValue("namespace", w.namespace)
            .addKeyValue("selector", labelSelector)
            .log("Secret watch started");
      } else if (now) {
        log.atInfo()
            .addKeyValue("namespace", w.namespace)
            .addKeyValue("selector", labelSelector)
            .log("Secret watch recovered");
      } else {
        log.atWarn()
            .addKeyValue("namespace", w.namespace)
            .addKeyValue("selector", labelSelector)
            .log("Secret watch broken, reconnecting");
      }
    }
  }

  private boolean retryAfter(String namespace, boolean started, Throwable t) {
    synchronized (lock) {
      if (closed) {
        return false;
      }
    }
    ErrorType type = classify(t);
    log.atWarn()
        .addKeyValue("namespace", namespace)
        .addKeyValue("error_type", type.label())
        .addKeyValue("started", started)
        .log("Secret watch failed, retrying: " + describe(t, type));
    return true;
  }

  /** Maps a client failure to the error class that decides whether a retry can help. */
  static ErrorType classify(Throwable failure) {
    List<Throwable> chain = causes(failure);
    for (Throwable t : chain) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        int code = k.getCode();
        if (code == 401 || code == 403) {
          return ErrorType.AUTH;
        } else if (code == 429) {
          return ErrorType.RATE_LIMITED;
        } else if (code == 408) {
          return ErrorType.TIMEOUT;
        } else if (code >= 500) {
          return ErrorType.SERVER;
        } else if (code >= 400) {
          // A bad selector or a missing API: retrying the same request cannot help.
          return ErrorType.CONFIG;
        }
      }
    }
    for (Throwable t : chain) {
      if (t instanceof HttpTimeoutException
          || t instanceof SocketTimeoutException
          || t instanceof TimeoutException
          || t instanceof InterruptedException
          || t instanceof InterruptedIOException) {
        return ErrorType.TIMEOUT;
      }
    }
    for (Throwable t : chain) {
      if (t instanceof JacksonException) {
        return ErrorType.PARSE;
      }
    }
    return ErrorType.NETWORK;
  }

  /** A short reason for a failure that never quotes a response body. */
  static String describe(Throwable failure, ErrorType type) {
    List<Throwable> chain = causes(failure);
    for (Throwable t : chain) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        StringBuilder b = new StringBuilder("HTTP ").append(k.getCode());
        if (k.getStatus() != null) {
          if (k.getStatus().getReason() != null) {
            b.append(' ').append(k.getStatus().getReason());
          }
          String m = k.getStatus().getMessage();
          if (m != null && !m.isBlank() && type != ErrorType.PARSE) {
            b.append(": ")
                .append(m.length() > MAX_STATUS_MESSAGE ? m.substring(0, MAX_STATUS_MESSAGE) : m);
          }
        }
        return b.toString();
      }
    }
    if (type == ErrorType.PARSE) {
      return "the response is not a valid Secret list";
    }
    // The first cause below the client's wrappers says what happened (ConnectException ...).
    Throwable what =
        chain.stream()
            .filter(
                t ->
                    !(t instanceof KubernetesClientException
                        || t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException))
            .findFirst()
            .orElse(chain.getLast());
    String m = what.getMessage();
    return what.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    LinkedHashSet<Throwable> seen = new LinkedHashSet<>();
    for (Throwable t = failure; t != null && seen.add(t) && chain.size() < 20; t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  private static List<String> validNamespaces(List<String> namespaces) {
    LinkedHashSet<String> out = new LinkedHashSet<>();
    for (String ns : namespaces) {
      if (ns == null || ns.isBlank()) {
        throw new IllegalArgumentException("namespace names must not be blank");
      }
      out.add(ns.strip());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("at least one namespace is required");
    }
    return List.copyOf(out);
  }

  private final class ChangeHandler implements ResourceEventHandler<Secret> {
    @Override
    public void onAdd(Secret s) {
      scheduleEmit();
    }

    @Override
    public void onUpdate(Secret before, Secret after) {
      scheduleEmit();
    }

    @Override
    public void onDelete(Secret s, boolean finalStateUnknown) {
      scheduleEmit();
    }

    @Override
    public void onNothing() {
      scheduleEmit();
    }
  }

  /** One namespace's informer and what the monitor last saw of it. */
  private static final class NamespaceWatch {
    final String namespace;
    final SharedIndexInformer<Secret> informer;
    boolean lastWatching;
    boolean everWatched;

    NamespaceWatch(String namespace, SharedIndexInformer<Secret> informer) {
      this.namespace = namespace;
      this.informer = informer;
    }
  }
}
