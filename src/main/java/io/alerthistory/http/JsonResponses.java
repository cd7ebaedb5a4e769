package io.alerthistory.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.alerthistory.json.FieldProblem;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;

/** Writes JSON answers, including the error shape every endpoint shares. */
final class JsonResponses {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .addModule(new com.fasterxml.jackson.databind.module.SimpleModule())
          .findAndAddModules()
          .build();

  /** The body of every error answer; {@code details} lists each bad field. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record ErrorBody(String error, String message, List<FieldProblem> details) {}

  private JsonResponses() {}

  static void send(ServerResponse res, int status, Object body) {
    sendBytes(res, status, bytes(body));
  }

  static byte[] bytes(Object body) {
    try {
      return MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write answer", e);
    }
  }

  static void sendBytes(ServerResponse res, int status, byte[] bytes) {
    res.status(Status.create(status));
    res.header(HeaderNames.CONTENT_TYPE, "application/json");
    res.send(bytes);
  }

  static void error(ServerResponse res, int status, String error, String message) {
    send(res, status, new ErrorBody(error, message, List.of()));
  }

  static void badRequest(ServerResponse res, List<FieldProblem> details) {
    send(res, 400, new ErrorBody("invalid_request", describe(details), details));
  }

  private static String describe(List<FieldProblem> details) {
    FieldProblem first = details.getFirst();
    String head = first.field().isEmpty() ? first.problem() : first.field() + " " + first.problem();
    return details.size() == 1 ? head : head + " (and " + (details.size() - 1) + " more)";
  }
}
