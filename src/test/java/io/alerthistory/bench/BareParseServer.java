package io.alerthistory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.alerthistory.json.Json;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Baseline for the ingest benchmark: the same HTTP server as the service with one route, {@code
 * POST /parse}, that only parses the body into a {@link JsonNode} with the service's mapper.
 * Nothing is validated, dispatched or logged, so its throughput is the ceiling the webhook is
 * compared with (bench/ingest-wrk.sh).
 *
 * <p>Usage: {@code BareParseServer PORT}; binds 127.0.0.1 only and runs until killed.
 */
public final class BareParseServer {
  private BareParseServer() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 1) {
      System.err.println("usage: BareParseServer PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    HttpRouting.Builder routing =
        HttpRouting.builder()
            .post(
                "/parse",
                (req, res) -> {
                  byte[] bytes = req.content().as(byte[].class);
                  JsonNode node = Json.MAPPER.readTree(bytes);
                  // The answer depends on the parse so the work cannot be optimised away.
                  byte[] body =
                      ("{\"fields\":" + node.size() + "}").getBytes(StandardCharsets.US_ASCII);
                  res.status(Status.OK_200);
                  res.header(HeaderNames.CONTENT_TYPE, "application/json");
                  res.send(body);
                });
    WebServer server =
        WebServer.builder().host("127.0.0.1").port(port).routing(routing).build().start();
    System.out.println("bare parse server listening on 127.0.0.1:" + server.port());
    new CountDownLatch(1).await();
  }
}
