package io.parley.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.infra.support.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Requests no HTTP client would send, as exact bytes over a socket: each answer is an {@code
 * application/problem+json} document with the status it announces (issue 9, items 3 and 6). Most
 * are refused by Tomcat before any filter runs, where only its error report valve speaks ({@link
 * ProblemErrorReportValve}).
 */
class MalformedRequestIT extends ParleyIntegrationTest {

  static final String HOST = "Host: localhost\r\nConnection: close\r\n";
  static final String LIVENESS = "/actuator/health/liveness";

  @Test
  void requestsTomcatRefuses_areProblemDocuments() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("%5C in the path", get("/api/v1/conversations/%5C"));
    cases.put("%00 in the path", get("/api/v1/conversations/%00"));
    cases.put("%2f in the path", get("/api/v1/conversations%2fx"));
    cases.put("%ff in the path", get("/api/v1/conversations/%ff"));
    cases.put("%zz in the path", get("/api/v1/conversations/%zz"));
    cases.put("[ in the query", get("/api/v1/conversations?a=[1]"));
    cases.put("| in the query", get("/api/v1/conversations?a=|"));
    cases.put("raw UTF-8 in the path", "GET /api/v1/\u00c3\u00a9 HTTP/1.1\r\n" + HOST + "\r\n");
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      many.append("X-H").append(i).append(": v\r\n");
    }
    cases.put("101 headers", "GET " + LIVENESS + " HTTP/1.1\r\n" + HOST + many + "\r\n");
    cases.put(
        "a header over 8 KB",
        "GET " + LIVENESS + " HTTP/1.1\r\n" + HOST + "X-Big: " + "a".repeat(9000) + "\r\n\r\n");
    cases.put("NUL in a header", "GET " + LIVENESS + " HTTP/1.1\r\n" + HOST + "X-N: a\0b\r\n\r\n");
    cases.put(
        "^A in a header", "GET " + LIVENESS + " HTTP/1.1\r\n" + HOST + "X-C: a\u0001b\r\n\r\n");
    cases.put(
        "a header without a colon", "GET " + LIVENESS + " HTTP/1.1\r\n" + HOST + "Nope\r\n\r\n");
    cases.put(
        "a bad Content-Length",
        "POST /api/dev/tokens HTTP/1.1\r\n"
            + HOST
            + "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}");
    cases.put(
        "two Content-Lengths",
        "POST /api/dev/tokens HTTP/1.1\r\n"
            + HOST
            + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}");
    cases.put("no Host (HTTP/1.1)", "GET " + LIVENESS + " HTTP/1.1\r\nConnection: close\r\n\r\n");
    cases.put(
        "two Hosts",
        "GET " + LIVENESS + " HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n");
    cases.put("a bad method token", "G@T " + LIVENESS + " HTTP/1.1\r\n" + HOST + "\r\n");
    cases.put("a space in the path", "GET /api/v1/con versations HTTP/1.1\r\n" + HOST + "\r\n");
    cases.put("HTTP/9.9 (Tomcat: 505)", "GET " + LIVENESS + " HTTP/9.9\r\n" + HOST + "\r\n");
    cases.put(
        "Transfer-Encoding: gzip (Tomcat: 501)",
        "POST /api/dev/tokens HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip\r\n\r\n{}");
    cases.put("a URL over 8 KB", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n" + HOST + "\r\n");
    cases.forEach(
        (name, request) -> {
          RawHttp.Response response = RawHttp.exchange(port, request);
          assertProblem(response, 400, name);
          assertThat(response.header("X-Request-Id")).as(name).isNotBlank();
        });
  }

  @Test
  void urlsTheFirewallRefuses_areProblemDocuments() {
    for (String path :
        new String[] {"/api/v1/%2e%2e/x", "/api/v1/conversations;x=1", "/api//v1/conversations"}) {
      assertProblem(RawHttp.exchange(port, get(path)), 400, path);
    }
    assertProblem(
        RawHttp.exchange(port, "FOO " + LIVENESS + " HTTP/1.1\r\n" + HOST + "\r\n"), 400, "FOO");
  }

  /** UTF-8 of U+0085, U+202E and an emoji: bytes 0x80–0x9F, which Tomcat reads as ISO-8859-1. */
  @Test
  void utf8InAHeader_isAccepted_onProbesAndApi() {
    String token = api.token("raw-header-user", "USER");
    for (String bytes :
        new String[] {"\u00c2\u0085", "\u00e2\u0080\u00ae", "\u00f0\u009f\u0098\u0080"}) {
      RawHttp.Response probe =
          RawHttp.exchange(
              port, "GET " + LIVENESS + " HTTP/1.1\r\n" + HOST + "X-Note: a" + bytes + "b\r\n\r\n");
      assertThat(probe.status()).as(probe.text()).isEqualTo(200);
      RawHttp.Response list =
          RawHttp.exchange(
              port,
              "GET /api/v1/conversations HTTP/1.1\r\n"
                  + HOST
                  + "Authorization: Bearer "
                  + token
                  + "\r\nAccept: application/json\r\nX-Note: "
                  + bytes
                  + "\r\nX-Request-Id: x"
                  + bytes
                  + "\r\n\r\n");
      assertThat(list.status()).as(list.text()).isEqualTo(200);
      // An id that is not tame is replaced, not echoed.
      assertThat(list.header("X-Request-Id")).doesNotContain(bytes);
      RawHttp.Response badToken =
          RawHttp.exchange(
              port,
              "GET /api/v1/conversations HTTP/1.1\r\n"
                  + HOST
                  + "Authorization: Bearer "
                  + bytes
                  + "\r\n\r\n");
      assertProblem(badToken, 401, "a token of UTF-8 bytes");
    }
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
