package io.parley.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.infra.support.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Requests no HTTP client would send, as exact bytes over a socket: each answer is an {@code
 * application/problem+json} document with the status it announces (issue 9).
 */
class MalformedRequestIT extends ParleyIntegrationTest {

  static final String HOST = "Host: localhost\r\nConnection: close\r\n";
  static final String LIVENESS = "/actuator/health/liveness";

  @Test
  void urlsTheFirewallRefuses_areProblemDocuments() {
    for (String path :
        new String[] {"/api/v1/%2e%2e/x", "/api/v1/conversations;x=1", "/api//v1/conversations"}) {
      assertProblem(RawHttp.exchange(port, get(path)), 400, path);
    }
    assertProblem(
        RawHttp.exchange(port, "FOO " + LIVENESS + " HTTP/1.1\r\n" + HOST + "\r\n"), 400, "FOO");
  }

  /** A chunked form body past parley.max-request-body, read by Spring's FormContentFilter. */
  @Test
  void aChunkedFormPutOverTheLimit_is413() {
    String token = api.token("raw-form-user", "USER");
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.writeBytes(
        ("PUT /api/v1/me/consents/ANALYTICS HTTP/1.1\r\n"
                + HOST
                + "Authorization: Bearer "
                + token
                + "\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    byte[] chunk = ("a=" + "x".repeat(32 * 1024 - 2)).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 10; i++) { // 320 KiB > 256 KiB
      request.writeBytes(
          (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.writeBytes(chunk);
      request.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    RawHttp.Response response = RawHttp.exchange(port, request.toByteArray());
    assertProblem(response, 413, "chunked form PUT");
    assertThat(response.header("X-Request-Id")).isNotBlank();
  }

  static String get(String target) {
    return "GET " + target + " HTTP/1.1\r\n" + HOST + "\r\n";
  }

  static void assertProblem(RawHttp.Response response, int status, String what) {
    assertThat(response.status()).as(what + ": " + response.text()).isEqualTo(status);
    assertThat(response.mediaType()).as(what).isEqualTo("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).as(what).isEqualTo(status);
    assertThat(problem.get("type").asText()).as(what).startsWith("urn:parley:problem:");
    assertThat(problem.hasNonNull("title")).as(what).isTrue();
    assertThat(problem.hasNonNull("detail")).as(what).isTrue();
    assertThat(response.text()).as(what).doesNotContain("Tomcat").doesNotContain("Exception");
  }
}
