package io.alerthistory.target.source;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A CRUD-mode fabric8 mock API server whose watch connections a test can cut, and can refuse to
 * re-open, to check that informers recover.
 */
final class KubernetesMockCluster implements AutoCloseable {
  static final String SELECTOR = "publishing-target=true";
  static final Map<String, String> TARGET_LABEL = Map.of("publishing-target", "true");

  private final DroppingDispatcher dispatcher = new DroppingDispatcher();
  private final KubernetesMockServer server;
  private final KubernetesClient client;

  KubernetesMockCluster() {
    server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
    server.init();
    client = server.createClient();
  }

  KubernetesClient client() {
    return client;
  }

  KubernetesMockServer server() {
    return server;
  }

  /** Closes every open watch connection from the server side; returns how many. */
  int dropWatches() {
    return dispatcher.drop();
  }

  /** New watch requests get this HTTP status (503, 410 ...) until called with 0. */
  void refuseWatches(int status) {
    dispatcher.refuse.set(status);
  }

  /** Secret LIST requests get this HTTP status until called with 0. */
  void refuseLists(int status) {
    refuseLists(status, "");
  }

  /** As {@link #refuseLists(int)}, only in one namespace. */
  void refuseLists(int status, String namespace) {
    dispatcher.refuseListsIn = namespace.isEmpty() ? "/" : "/namespaces/" + namespace + "/";
    dispatcher.refuseLists.set(status);
  }

  int listRequests() {
    return dispatcher.listRequests.get();
  }

  /**
   * While set, new watches open and at once report {@code 410 Gone} ("too old resource version") as
   * a watch ERROR event, as an API server does when a watch's resourceVersion has expired.
   */
  void expireWatches(boolean expire) {
    dispatcher.expire.set(expire);
  }

  int openWatches() {
    return dispatcher.sockets.size();
  }

  int watchRequests() {
    return dispatcher.watchRequests.get();
  }

  Secret create(Secret s) {
    return client.secrets().inNamespace(s.getMetadata().getNamespace()).resource(s).create();
  }

  void delete(String namespace, String name) {
    client.secrets().inNamespace(namespace).withName(name).delete();
  }

  void setConfig(String namespace, String name, String config) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .edit(s -> new SecretBuilder(s).withStringData(Map.of("config", config)).build());
  }

  void setLabels(String namespace, String name, Map<String, String> labels) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName(name)
        .edit(s -> new SecretBuilder(s).editMetadata().withLabels(labels).endMetadata().build());
  }

  static Secret target(String namespace, String name, String config) {
    return stringData(namespace, name, TARGET_LABEL, Map.of("config", config));
  }

  static Secret stringData(
      String namespace, String name, Map<String, String> labels, Map<String, String> stringData) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withStringData(stringData)
        .build();
  }

  /** A labelled Secret with {@code data} values given as they appear on the wire. */
  static Secret rawData(String namespace, String name, Map<String, String> data) {
    return new SecretBuilder()
        .withNewMetadata()
        .withNamespace(namespace)
        .withName(name)
        .withLabels(TARGET_LABEL)
        .endMetadata()
        .withData(data)
        .build();
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  static String webhook(String name, String url) {
    return "{\"name\":\"" + name + "\",\"type\":\"webhook\",\"url\":\"" + url + "\"}";
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }

  private static final class DroppingDispatcher extends KubernetesCrudDispatcher {
    final Set<WebSocket> sockets = ConcurrentHashMap.newKeySet();
    final AtomicInteger refuse = new AtomicInteger();
    final AtomicBoolean expire = new AtomicBoolean();
    final AtomicInteger refuseLists = new AtomicInteger();
    volatile String refuseListsIn = "/";
    final AtomicInteger listRequests = new AtomicInteger();
    final AtomicInteger watchRequests = new AtomicInteger();

    DroppingDispatcher() {
      super(List.of());
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if ("GET".equals(request.getMethod())
          && path.contains("/secrets?")
          && !path.contains("watch=true")) {
        listRequests.incrementAndGet();
        int status = refuseLists.get();
        if (status != 0 && path.contains(refuseListsIn)) {
          return status(status);
        }
      }
      return super.dispatch(request);
    }

    private static MockResponse status(int code) {
      return new MockResponse()
          .setResponseCode(code)
          .setBody(
              "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                  + "\"code\":"
                  + code
                  + "}");
    }

    @Override
    public MockResponse handleWatch(String path) {
      watchRequests.incrementAndGet();
      int status = refuse.get();
      if (status != 0) {
        return status(status);
      }
      if (expire.get()) {
        return new MockResponse().withWebSocketUpgrade(new Expiring());
      }
      MockResponse response = super.handleWatch(path);
      WebSocketListener inner = response.getWebSocketListener();
      return inner == null ? response : response.withWebSocketUpgrade(new Tracking(inner));
    }

    int drop() {
      List<WebSocket> open = List.copyOf(sockets);
      open.forEach(ws -> ws.close(1001, "dropped by test"));
      return open.size();
    }

    private static final class Expiring extends WebSocketListener {
      @Override
      public void onOpen(WebSocket ws, Response r) {
        ws.send(
            "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
                + "\"status\":\"Failure\",\"message\":\"too old resource version\","
                + "\"reason\":\"Expired\",\"code\":410}}");
        ws.close(1000, "expired");
      }
    }

    private final class Tracking extends WebSocketListener {
      private final WebSocketListener inner;

      Tracking(WebSocketListener inner) {
        this.inner = inner;
      }

      @Override
      public void onBeforeAccept(WebSocket ws, Response r) {
        inner.onBeforeAccept(ws, r);
      }

      @Override
      public void onOpen(WebSocket ws, Response r) {
        sockets.add(ws);
        inner.onOpen(ws, r);
      }

      @Override
      public void onMessage(WebSocket ws, String text) {
        inner.onMessage(ws, text);
      }

      @Override
      public void onMessage(WebSocket ws, byte[] bytes) {
        inner.onMessage(ws, bytes);
      }

      @Override
      public void onMessage(WebSocket ws, io.fabric8.mockwebserver.http.ByteString bytes) {
        inner.onMessage(ws, bytes);
      }

      @Override
      public void onClosing(WebSocket ws, int code, String reason) {
        sockets.remove(ws);
        inner.onClosing(ws, code, reason);
      }

      @Override
      public void onClosed(WebSocket ws, int code, String reason) {
        sockets.remove(ws);
        inner.onClosed(ws, code, reason);
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response r) {
        sockets.remove(ws);
        inner.onFailure(ws, t, r);
      }
    }
  }
}
