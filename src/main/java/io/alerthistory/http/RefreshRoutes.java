package io.alerthistory.http;

import io.alerthistory.refresh.RefreshManager;
import io.alerthistory.refresh.RefreshResult;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/** Manual target refresh (admin) and the refresh status. */
final class RefreshRoutes implements HttpService {
  private final RefreshManager refresh;
  private final AdminAuth auth;

  RefreshRoutes(RefreshManager refresh, AdminAuth auth) {
    this.refresh = refresh;
    this.auth = auth;
  }

  @Override
  public void routing(HttpRules rules) {
    rules
        .get(
            "/api/v2/publishing/targets/status",
            (req, res) -> JsonResponses.send(res, 200, refresh.status()))
        .post(
            "/api/v2/publishing/targets/refresh",
            auth.protect(
                (req, res) -> {
                  switch (refresh.refreshNow(MDC.get(RequestIds.MDC_KEY))) {
                    case RefreshResult.Started s -> {
                      Map<String, Object> body = new LinkedHashMap<>();
                      body.put("message", "refresh started");
                      body.put("request_id", s.requestId());
                      body.put("refresh_started_at", s.startedAt().toString());
                      JsonResponses.send(res, 202, body);
                    }
                    case RefreshResult.AlreadyRunning r -> {
                      Map<String, Object> body = new LinkedHashMap<>();
                      body.put("error", "refresh_in_progress");
                      body.put("message", "a refresh is already running");
                      body.put("started_at", r.startedAt().toString());
                      JsonResponses.send(res, 503, body);
                    }
                    case RefreshResult.RateLimited r -> {
                      long seconds = Math.max(1, r.retryAfter().toSeconds());
                      res.header(HeaderNames.RETRY_AFTER, String.valueOf(seconds));
                      JsonResponses.error(
                          res,
                          429,
                          "rate_limited",
                          "a manual refresh ran less than TARGET_REFRESH_RATE_LIMIT ago; retry in "
                              + seconds
                              + "s");
                    }
                  }
                }));
  }
}
