package io.alerthistory.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards admin endpoints: when a token is configured they need {@code Authorization: Bearer
 * <token>}, compared in constant time. With no token they are open.
 */
final class AdminAuth {
  private final byte[] expected;

  AdminAuth(String token) {
    this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  Handler protect(Handler handler) {
    if (expected == null) {
      return handler;
    }
    return (req, res) -> {
      byte[] given =
          req.headers()
              .first(HeaderNames.AUTHORIZATION)
              .orElse("")
              .getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(expected, given)) {
        handler.handle(req, res);
      } else {
        res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
        JsonResponses.error(
            res, 401, "unauthorized", "this endpoint needs Authorization: Bearer <ADMIN_TOKEN>");
      }
    };
  }
}
