package io.alerthistory.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} when it is sane), puts it on every
 * log line of the request and echoes it in the answer.
 */
final class RequestIds implements Filter {
  static final HeaderName HEADER = HeaderNames.create("X-Request-Id");
  static final String MDC_KEY = "request_id";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Logger log = LoggerFactory.getLogger("io.alerthistory.http.access");

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String id =
        req.headers()
            .first(HEADER)
            .filter(v -> SANE.matcher(v).matches())
            .orElseGet(() -> UUID.randomUUID().toString());
    long start = System.nanoTime();
    MDC.put(MDC_KEY, id);
    try {
      res.header(HEADER, id);
      chain.proceed();
    } finally {
      log.atDebug()
          .addKeyValue("method", req.prologue().method().text())
          .addKeyValue("path", req.path().path())
          .addKeyValue("status", res.status().code())
          .addKeyValue("duration_ms", (System.nanoTime() - start) / 1_000_000)
          .log("request");
      MDC.remove(MDC_KEY);
    }
  }
}
