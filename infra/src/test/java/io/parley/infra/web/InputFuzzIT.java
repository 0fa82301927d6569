package io.parley.infra.web;

import static io.parley.infra.support.Gen.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.Gen;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.infra.support.RawHttp;
import io.parley.infra.support.SignedTokens;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The robustness property of the HTTP API: whatever a client sends, over real HTTP through the real
 * filter chain to the shared test application on real PostgreSQL, the answer keeps the contract
 * (API.md "Conventions") and stored state stays intact.
 *
 * <p>Each try sends one generated request, as raw bytes over a socket so that nothing is refused on
 * the client's side: one of every endpoint of API.md that Parley serves (and a few that do not
 * exist), with the right method or another, a valid, missing, malformed, expired or ill-claimed
 * token, any of several content types, a body that is valid, mistyped, missing fields, repeating
 * keys, malformed, huge, or not UTF-8, odd path segments and query parameters, odd headers (UTF-8
 * bytes, long values, odd request ids and idempotency keys). The property:
 *
 * <ul>
 *   <li>never a 5xx (a 503 only with Retry-After, which should not happen here);
 *   <li>every 4xx an {@code application/problem+json} document whose {@code status} is the
 *       response's, with {@code type}, {@code title} and {@code detail}, and {@code errors} of
 *       {@code {field, message}} when present;
 *   <li>no error response holds a stack frame, a class name, SQL, or any text the client sent
 *       (every generated free text carries {@link #MARKER}; {@code instance}, the request path, is
 *       the one field allowed to repeat the request);
 *   <li>every response carries {@code X-Request-Id}.
 * </ul>
 *
 * After all tries: a conversation made before (whose participants no generated token belongs to)
 * has its title, participants and exactly its two messages; its aggregate gained no event but a
 * moderator's threshold change (which MODERATOR tokens may legitimately make); and every event
 * store row that existed before is unchanged, byte for byte.
 *
 * <p>The requests come from {@link #requests()}, a {@link Gen} drawing from one {@link Random}: the
 * seed is fixed ({@value #DEFAULT_SEED}) so CI is reproducible; {@code -Dparley.fuzz.seed=…}
 * changes it and {@code -Dparley.fuzz.tries=…} the number of requests ({@value #DEFAULT_TRIES}).
 * The first failing request ends the run with the seed, the try number and the request; the seed,
 * the requests sent by status and the time taken are logged either way. The application is the
 * shared context of every {@link ParleyIntegrationTest}.
 */
class InputFuzzIT extends ParleyIntegrationTest {

  static final long DEFAULT_SEED = 9020261201L;
  static final int DEFAULT_TRIES = 3000;

  /** In every generated free text: no error response may repeat it. */
  static final String MARKER = "Fz9q";

  private static final Logger log = LoggerFactory.getLogger(InputFuzzIT.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CLASS_NAME =
      Pattern.compile("[a-z]+\\.[a-z]+\\.[A-Z]\\w+(Exception|Error)");
  private static final Pattern STACK_FRAME = Pattern.compile("\\bat [a-z]+\\.[\\w.$]+\\(");
  private static final Pattern SQL =
      Pattern.compile(
          "(?i)\\b(select\\s.+\\sfrom|insert\\s+into|update\\s+\\w+\\s+set|delete\\s+from)\\b"
              + "|SQLState|org\\.postgresql|PSQLException|jooq");

  @Autowired private ApplicationContext context;

  /** What the generated requests refer to; made before they are generated. */
  private Fixture fixture;

  @Test
  void everyRequestIsAnsweredAsTheContractSays() throws Exception {
    long seed =
        Long.parseLong(System.getProperty("parley.fuzz.seed", String.valueOf(DEFAULT_SEED)));
    int tries =
        Integer.parseInt(System.getProperty("parley.fuzz.tries", String.valueOf(DEFAULT_TRIES)));
    fixture = new Fixture(port, context);
    Gen<FuzzRequest> requests = requests();
    Random random = new Random(seed);
    Map<Integer, Integer> byStatus = new TreeMap<>();
    AssertionError failure = null;
    long started = System.nanoTime();
    for (int attempt = 1; attempt <= tries && failure == null; attempt++) {
      FuzzRequest request = requests.next(random);
      try {
        RawHttp.Response response = RawHttp.exchange(fixture.port, request.bytes());
        byStatus.merge(response.status(), 1, Integer::sum);
        assertAnsweredAsTheContractSays(request, response);
      } catch (AssertionError | RuntimeException e) {
        String where =
            "Input fuzzing failed at try %d of %d, seed %d (again: -Dparley.fuzz.seed=%d"
                    .formatted(attempt, tries, seed, seed)
                + " -Dparley.fuzz.tries=%d): %s".formatted(attempt, request.describe());
        failure = new AssertionError(where, e);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    log.info(
        "Input fuzzing: seed {}, {} requests in {} s, by status {}",
        seed,
        byStatus.values().stream().mapToInt(Integer::intValue).sum(),
        String.format(java.util.Locale.ROOT, "%.1f", seconds),
        byStatus);
    try {
      fixture.assertIntact();
    } catch (AssertionError broken) {
      if (failure == null) {
        throw broken;
      }
      failure.addSuppressed(broken);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** The property, for one request and its response. */
  static void assertAnsweredAsTheContractSays(FuzzRequest request, RawHttp.Response response) {
    String what =
        request.describe() + " -> " + response.status() + " " + abbreviate(response.text());

    assertThat(response.status() < 500 || isRetryLater(response)).as(what).isTrue();
    assertThat(response.header("X-Request-Id")).as(what).isNotBlank();
    if (response.status() < 400) {
      return;
    }
    assertThat(response.mediaType()).as(what).isEqualTo("application/problem+json");
    if (request.method().equals("HEAD")) {
      return; // no body
    }
    JsonNode problem = response.json();
    assertThat(problem.isObject()).as(what).isTrue();
    assertThat(problem.path("status").asInt()).as(what).isEqualTo(response.status());
    for (String member : List.of("type", "title", "detail")) {
      assertThat(problem.path(member).isTextual()).as(what + " " + member).isTrue();
    }
    if (problem.has("errors")) {
      assertThat(problem.get("errors").isArray()).as(what).isTrue();
      problem
          .get("errors")
          .forEach(
              error -> {
                assertThat(error.path("field").isTextual()).as(what).isTrue();
                assertThat(error.path("message").isTextual()).as(what).isTrue();
              });
    }
    // instance is the request's own path: the one member that may repeat what the client sent.
    ((com.fasterxml.jackson.databind.node.ObjectNode) problem).remove("instance");
    String text = problem.toString();
    assertThat(CLASS_NAME.matcher(text).find()).as("class name in " + what).isFalse();
    assertThat(STACK_FRAME.matcher(text).find()).as("stack frame in " + what).isFalse();
    assertThat(SQL.matcher(text).find()).as("SQL in " + what).isFalse();
    assertThat(text).as("client input echoed in " + what).doesNotContain(MARKER);
  }

  static boolean isRetryLater(RawHttp.Response response) {
    return response.status() == 503 && response.header("Retry-After") != null;
  }

  // ---------------------------------------------------------------------------------- requests

  /** A request as bytes on the wire, and a short description for failure messages. */
  record FuzzRequest(String method, String target, List<String> headers, byte[] body) {

    byte[] bytes() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: localhost\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.writeBytes(body);
      }
      return out.toByteArray();
    }

    String describe() {
      String bodyText =
          body == null ? "" : " body " + abbreviate(new String(body, StandardCharsets.UTF_8));
      List<String> shortHeaders = headers.stream().map(InputFuzzIT::abbreviate).toList();
      return method + " " + abbreviate(target) + " " + shortHeaders + bodyText;
    }
  }

  /** One of the API's operations: method, path with {placeholders}, body fields and their kinds. */
  record Endpoint(String method, String path, String role, Map<String, Kind> fields) {}

  enum Kind {
    TEXT,
    USER_ID,
    USER_IDS,
    ROLES,
    NUMBER,
    BOOLEAN,
    OUTCOME
  }

  static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint(
              "POST", "/api/dev/tokens", null, fields("sub", Kind.USER_ID, "roles", Kind.ROLES)),
          new Endpoint(
              "POST",
              "/api/v1/conversations",
              "USER",
              fields("title", Kind.TEXT, "participants", Kind.USER_IDS)),
          new Endpoint("GET", "/api/v1/conversations", "USER", Map.of()),
          new Endpoint("GET", "/api/v1/conversations/{conversation}", "USER", Map.of()),
          new Endpoint(
              "POST",
              "/api/v1/conversations/{conversation}/participants",
              "USER",
              fields("userId", Kind.USER_ID)),
          new Endpoint(
              "POST",
              "/api/v1/conversations/{conversation}/messages",
              "USER",
              fields("text", Kind.TEXT, "clientMessageId", Kind.TEXT)),
          new Endpoint(
              "GET",
              "/api/v1/conversations/{conversation}/messages{timelineQuery}",
              "USER",
              Map.of()),
          new Endpoint(
              "PUT",
              "/api/v1/conversations/{conversation}/moderation",
              "MODERATOR",
              fields("warnThreshold", Kind.NUMBER, "blockThreshold", Kind.NUMBER)),
          new Endpoint(
              "POST",
              "/api/v1/messages/{message}/flags",
              "USER",
              fields("reason", Kind.TEXT, "note", Kind.TEXT)),
          new Endpoint("POST", "/api/v1/conversations/{conversation}/cards", "USER", Map.of()),
          new Endpoint(
              "GET", "/api/v1/conversations/{conversation}/cards{cardsQuery}", "USER", Map.of()),
          new Endpoint("GET", "/api/v1/cards/{card}", "USER", Map.of()),
          new Endpoint("GET", "/api/v1/cards/{card}/artwork.svg", "USER", Map.of()),
          new Endpoint("GET", "/api/v1/flags{flagsQuery}", "MODERATOR", Map.of()),
          new Endpoint("POST", "/api/v1/flags/{flag}/review", "MODERATOR", Map.of()),
          new Endpoint(
              "POST", "/api/v1/flags/{flag}/resolve", "MODERATOR", fields("outcome", Kind.OUTCOME)),
          new Endpoint(
              "PUT",
              "/api/v1/me/consents/{purpose}",
              "USER",
              fields("granted", Kind.BOOLEAN, "policyVersion", Kind.TEXT)),
          new Endpoint("GET", "/api/v1/me/consents", "USER", Map.of()),
          new Endpoint("GET", "/api/v1/me/export", "USER", Map.of()),
          new Endpoint("POST", "/api/v1/me/erasure", "USER", Map.of()),
          new Endpoint("DELETE", "/api/v1/me/erasure", "USER", Map.of()),
          new Endpoint(
              "GET", "/api/v1/compliance/subjects/{subject}/export", "COMPLIANCE", Map.of()),
          new Endpoint(
              "POST",
              "/api/v1/compliance/subjects/{subject}/erasure",
              "COMPLIANCE",
              fields("immediate", Kind.BOOLEAN, "reason", Kind.TEXT)),
          new Endpoint("GET", "/api/v1/ops/processors", "OPS", Map.of()),
          new Endpoint("POST", "/api/v1/ops/processors/{processor}/replay", "OPS", Map.of()),
          new Endpoint("GET", "/ops", null, Map.of()),
          new Endpoint("GET", "/api/v1/ops/dead-letters{deadLettersQuery}", "OPS", Map.of()),
          new Endpoint("POST", "/api/v1/ops/dead-letters/{deadLetter}/retry", "OPS", Map.of()),
          new Endpoint("DELETE", "/api/v1/ops/dead-letters/{deadLetter}", "OPS", Map.of()),
          new Endpoint("GET", "/api/v1/ops/sagas{sagasQuery}", "OPS", Map.of()),
          new Endpoint("GET", "/api/v1/ops/sagas/{saga}", "OPS", Map.of()),
          new Endpoint("GET", "/actuator/health/liveness", null, Map.of()),
          new Endpoint("GET", "/actuator/health/readiness", null, Map.of()),
          new Endpoint("GET", "/actuator/prometheus", "OPS", Map.of()),
          new Endpoint("GET", "/{odd}", null, Map.of()));

  private static Map<String, Kind> fields(Object... namesAndKinds) {
    Map<String, Kind> fields = new java.util.LinkedHashMap<>();
    for (int i = 0; i < namesAndKinds.length; i += 2) {
      fields.put((String) namesAndKinds[i], (Kind) namesAndKinds[i + 1]);
    }
    return fields;
  }

  /** The requests: an endpoint, each as likely, then a request to it. Needs the fixture. */
  Gen<FuzzRequest> requests() {
    // One generator per endpoint, made once: some hold large constant bodies.
    List<Gen<FuzzRequest>> byEndpoint = ENDPOINTS.stream().map(this::request).toList();
    return Gen.oneOf(byEndpoint);
  }

  Gen<FuzzRequest> request(Endpoint endpoint) {
    Gen<String> methods = method(endpoint);
    Gen<String> targets = target(endpoint);
    Gen<Optional<String>> authorizations = authorization(endpoint);
    Gen<Optional<String>> contentTypes = contentType();
    Gen<List<String>> otherHeaders = otherHeaders();
    Gen<Optional<byte[]>> bodies = body(endpoint);
    return random -> {
      String method = methods.next(random);
      String target = targets.next(random);
      Optional<String> authorization = authorizations.next(random);
      Optional<String> contentType = contentTypes.next(random);
      List<String> others = otherHeaders.next(random);
      Optional<byte[]> body = bodies.next(random);
      List<String> headers = new ArrayList<>();
      authorization.ifPresent(a -> headers.add("Authorization: " + a));
      contentType.ifPresent(t -> headers.add("Content-Type: " + t));
      headers.addAll(others);
      return new FuzzRequest(method, target, headers, body.orElse(null));
    };
  }

  Gen<String> method(Endpoint endpoint) {
    return Gen.frequency(
        weighted(8, Gen.just(endpoint.method())),
        weighted(2, Gen.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")),
        weighted(1, Gen.of("TRACE", "FOO", "get", "CONNECT")));
  }

  Gen<String> target(Endpoint endpoint) {
    Gen<String> path = Gen.just(endpoint.path());
    for (String placeholder :
        List.of(
            "conversation",
            "message",
            "flag",
            "card",
            "purpose",
            "subject",
            "processor",
            "odd",
            "timelineQuery",
            "cardsQuery",
            "flagsQuery",
            "deadLetter",
            "deadLettersQuery",
            "saga",
            "sagasQuery")) {
      if (endpoint.path().contains("{" + placeholder + "}")) {
        Gen<String> before = path;
        Gen<String> value = placeholder(placeholder);
        path = random -> before.next(random).replace("{" + placeholder + "}", value.next(random));
      }
    }
    return path;
  }

  Gen<String> placeholder(String name) {
    return switch (name) {
      case "conversation" ->
          Gen.oneOf(Gen.of(fixture.canary, fixture.ownConversation), anyUuid(), oddSegment());
      case "message" ->
          Gen.oneOf(
              Gen.of(fixture.canaryMessages.get(0), fixture.ownMessage), anyUuid(), oddSegment());
      case "flag" -> Gen.oneOf(Gen.just(fixture.ownFlag), anyUuid(), oddSegment());
      case "card" -> Gen.oneOf(Gen.just(fixture.ownCard), anyUuid(), oddSegment());
      case "purpose" ->
          Gen.oneOf(
              Gen.of("ANALYTICS", "CARD_GENERATION", "AI_PROCESSING"),
              Gen.of("analytics", "ANALYTICS%20", "%20ANALYTICS", "MARKETING", "1", "0"),
              oddSegment());
      case "subject" ->
          Gen.oneOf(
              // Never a user of another test, nor of the canary: erasure of these is legitimate.
              Gen.integers(1, 20).map(i -> "fz-subject-" + i), oddSegment());
      case "processor" ->
          // Never one that can be replayed: a replay here would rebuild a projection under the
          // other tests. Unknown names (404), sagas and the audit chain (409).
          Gen.oneOf(
              Gen.of("no-such-processor", "CardGenerationSagaProcessor", "audit-chain"),
              oddSegment());
      case "odd" ->
          Gen.oneOf(
              Gen.of(
                  "",
                  "api",
                  "api/v1",
                  "api/v1/",
                  "api/v1/conversations/",
                  "api/v1/cards/7d3f0e59-3b5e-4f55-9a4c-1b7f3c2f7e11",
                  "api/v1/audit/events",
                  "api/v1/ops/processors",
                  "actuator",
                  "actuator/health",
                  "actuator/env",
                  "actuator/metrics",
                  "api/docs",
                  "swagger-ui.html",
                  "ops",
                  "error",
                  "favicon.ico",
                  "index.html",
                  "WEB-INF/web.xml",
                  "api/v1/conversations/..%2f..%2f",
                  "api/v1/%2e%2e/%2e%2e/etc/passwd",
                  "api/v1/conversations;jsessionid=1"),
              oddSegment());
      case "timelineQuery", "cardsQuery" -> query(List.of("limit", "before"));
      case "flagsQuery" -> query(List.of("status", "limit", "after"));
      case "deadLetter" -> Gen.oneOf(anyUuid(), oddSegment());
      case "deadLettersQuery" -> query(List.of("processor"));
      case "saga" -> Gen.oneOf(anyUuid(), oddSegment());
      case "sagasQuery" -> query(List.of("type", "limit", "after"));
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** A UUID drawn from the run's seeded randomness (not UUID.randomUUID()). */
  Gen<String> anyUuid() {
    Gen<Long> bits = Gen.longs();
    return random -> new UUID(bits.next(random), bits.next(random)).toString();
  }

  /** A path segment that is no valid id: percent-encoded odd text, or a few raw oddities. */
  Gen<String> oddSegment() {
    return Gen.oneOf(
        freeText().map(InputFuzzIT::encode),
        Gen.of(
            "%00",
            "%2F",
            "%5C",
            "%ff",
            "%zz",
            "..",
            ".",
            "%2e%2e",
            "null",
            "-1",
            "0x10",
            "1e999",
            "%E2%80%AE",
            "%C2%85",
            "a%0Ab",
            "[x]",
            "{x}",
            "x|y",
            "00000000-0000-0000-0000-000000000000",
            "00000000-0000-0000-0000-00000000000G",
            "x".repeat(3000)));
  }

  Gen<String> query(List<String> names) {
    Gen<String> name = Gen.oneOf(Gen.of(names), Gen.of("x", "limit[]", "%00", ""));
    Gen<String> value = queryValue();
    Gen<String> pair = random -> name.next(random) + "=" + value.next(random);
    return pair.list(0, 4).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
  }

  Gen<String> queryValue() {
    return Gen.oneOf(
        Gen.of(
            "1",
            "50",
            "200",
            "201",
            "0",
            "-1",
            "0x10",
            "010",
            "%2B5",
            "%205",
            "1e2",
            "5.0",
            "99999999999999999999",
            "%D9%A3",
            "",
            "PENDING",
            "REVIEWING",
            "RESOLVED",
            "pending",
            "%20PENDING",
            "cDox",
            "cDotMQ",
            "cTox",
            "q:1",
            "[",
            "%zz",
            "a|b"),
        Gen.integers(-1000, 1000).map(String::valueOf),
        freeText().map(InputFuzzIT::encode));
  }

  Gen<Optional<String>> authorization(Endpoint endpoint) {
    String right =
        endpoint.role() == null ? fixture.tokens.get("USER") : fixture.tokens.get(endpoint.role());
    return Gen.frequency(
        weighted(10, Gen.just(Optional.of("Bearer " + right))),
        weighted(2, Gen.of(fixture.tokens.values()).map(t -> Optional.of("Bearer " + t))),
        weighted(2, Gen.just(Optional.<String>empty())),
        weighted(3, Gen.of(fixture.badTokens).map(t -> Optional.of("Bearer " + t))),
        weighted(
            2,
            Gen.of(
                    "Bearer",
                    "Bearer ",
                    "bearer " + right,
                    "Basic YWxpY2U6c2VjcmV0",
                    "Bearer " + right + " " + right,
                    "Bearer a.b.c",
                    "Bearer " + "A".repeat(6000),
                    "Bearer \u00e2\u0080\u00ae" + MARKER,
                    "Bearer " + right.substring(0, right.length() - 3),
                    "Bearer " + right.replace('.', '!'),
                    "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.",
                    "Negotiate " + MARKER)
                .map(Optional::of)));
  }

  Gen<Optional<String>> contentType() {
    return Gen.frequency(
        weighted(10, Gen.just(Optional.of("application/json"))),
        weighted(
            4,
            Gen.of(
                    "application/json; charset=UTF-8",
                    "application/json;charset=utf-16",
                    "application/json; charset=" + MARKER,
                    "application/problem+json",
                    "text/plain",
                    "text/json",
                    "application/xml",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                    "multipart/form-data; boundary=xyz",
                    "multipart/mixed; boundary=",
                    "*/*",
                    "application/*",
                    ";;;",
                    "",
                    "application/json, text/plain",
                    "application/" + MARKER)
                .map(Optional::of)),
        weighted(2, Gen.just(Optional.<String>empty())));
  }

  Gen<List<String>> otherHeaders() {
    Gen<String> header =
        Gen.oneOf(
            Gen.of(
                "Accept: application/json",
                "Accept: */*",
                "Accept: application/xml",
                "Accept: text/html",
                "Accept: ;;;" + MARKER,
                "Accept-Charset: " + MARKER,
                "Accept-Encoding: gzip",
                "X-Request-Id: fuzz-" + MARKER,
                "X-Request-Id: ",
                "X-Request-Id: " + "r".repeat(300),
                "X-Request-Id: \u00f0\u009f\u0098\u0080" + MARKER,
                "Idempotency-Key: fuzz-key-1",
                "Idempotency-Key: ",
                "Idempotency-Key: " + "k".repeat(300) + MARKER,
                "Idempotency-Key: \u00e2\u0080\u00ae" + MARKER,
                "X-Forwarded-For: 1.2.3.4",
                "X-Forwarded-Host: evil.example",
                "Origin: https://evil.example",
                "Range: bytes=0-1",
                "If-None-Match: *",
                "Cookie: JSESSIONID=" + MARKER,
                "X-HTTP-Method-Override: DELETE",
                "Forwarded: for=" + MARKER),
            Gen.strings(Gen.chars('\u0020', '\u00ff'), 0, 200)
                .map(value -> "X-Fuzz: " + value.strip() + MARKER),
            Gen.strings(Gen.chars('a', 'z'), 7000, 7000).map(value -> "X-Long: " + value));
    return header.list(0, 3);
  }

  Gen<Optional<byte[]>> body(Endpoint endpoint) {
    Gen<String> json =
        endpoint.fields().isEmpty()
            ? Gen.of("{}", "[]", "null", "{\"x\":1}")
            : Gen.frequency(
                weighted(6, object(endpoint.fields())),
                weighted(2, malformedJson()),
                weighted(1, Gen.of("[]", "null", "\"x\"", "1", "{}", "true")));
    Gen<byte[]> bytes =
        Gen.frequency(
            weighted(12, json.map(s -> s.getBytes(StandardCharsets.UTF_8))),
            weighted(1, Gen.bytes(0, 300)), // not UTF-8
            weighted(
                1,
                json.map(
                    s -> {
                      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                      byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
                      byte[] both = new byte[bom.length + utf8.length];
                      System.arraycopy(bom, 0, both, 0, bom.length);
                      System.arraycopy(utf8, 0, both, bom.length, utf8.length);
                      return both;
                    })),
            weighted(1, json.map(s -> s.getBytes(StandardCharsets.UTF_16))),
            weighted(
                1,
                Gen.just(
                    ("{\"text\":\"" + "x".repeat(300 * 1024) + "\"}")
                        .getBytes(StandardCharsets.UTF_8))));
    return Gen.frequency(
        weighted(endpoint.fields().isEmpty() ? 1 : 12, bytes.map(Optional::of)),
        weighted(endpoint.fields().isEmpty() ? 6 : 1, Gen.just(Optional.<byte[]>empty())),
        weighted(1, Gen.just(Optional.of(new byte[0]))));
  }

  /** An object of the endpoint's fields: some missing, some mistyped, some repeated, extras. */
  Gen<String> object(Map<String, Kind> fields) {
    List<Gen<String>> members = new ArrayList<>();
    fields.forEach(
        (name, kind) -> {
          Gen<String> value = value(kind);
          Gen<String> twice =
              random ->
                  quote(name)
                      + ":"
                      + value.next(random)
                      + ","
                      + quote(name)
                      + ":"
                      + value.next(random);
          members.add(
              Gen.frequency(
                  weighted(1, Gen.just("")),
                  weighted(10, value.map(v -> quote(name) + ":" + v)),
                  weighted(1, twice)));
        });
    Gen<String> extraName = freeText();
    Gen<String> extraValue = anyValue();
    members.add(
        Gen.frequency(
            weighted(6, Gen.just("")),
            weighted(1, random -> quote(extraName.next(random)) + ":" + extraValue.next(random))));
    return Gen.all(members)
        .map(
            parts ->
                "{"
                    + parts.stream().filter(p -> !p.isEmpty()).collect(Collectors.joining(","))
                    + "}");
  }

  Gen<String> value(Kind kind) {
    Gen<String> right =
        switch (kind) {
          case TEXT -> freeText().map(InputFuzzIT::quote);
          case USER_ID ->
              Gen.oneOf(
                  Gen.of("fz-user", "fz-mod", "fz-friend", "a", "x".repeat(65))
                      .map(InputFuzzIT::quote),
                  freeText().map(InputFuzzIT::quote));
          case USER_IDS ->
              Gen.oneOf(
                  value(Kind.USER_ID).list(0, 5).map(l -> "[" + String.join(",", l) + "]"),
                  Gen.just(
                      "["
                          + java.util.stream.IntStream.range(0, 1001)
                              .mapToObj(i -> quote("fz-p" + i))
                              .collect(Collectors.joining(","))
                          + "]"));
          case ROLES ->
              Gen.of(
                  "[\"USER\"]",
                  "[\"USER\",\"MODERATOR\"]",
                  "[]",
                  "[\"ADMIN\"]",
                  "[\"user\"]",
                  "\"USER MODERATOR\"",
                  "[1,2]",
                  "[[\"USER\"]]",
                  "[null]");
          case NUMBER ->
              Gen.oneOf(
                  Gen.of(
                      "0.6",
                      "0.8",
                      "0.9",
                      "1",
                      "0",
                      "-1",
                      "1.0001",
                      "0.0001",
                      "1e999999999",
                      "-1e-999999999",
                      "0.12345",
                      "1E0",
                      "-0",
                      "0." + "1".repeat(2000)),
                  // Two decimals: -2.0, -1.99, …, 2.0.
                  Gen.integers(-200, 200).map(hundredths -> Double.toString(hundredths / 100.0)));
          case BOOLEAN -> Gen.of("true", "false");
          case OUTCOME ->
              Gen.of(
                  "\"UPHELD\"",
                  "\"DISMISSED\"",
                  "\"upheld\"",
                  "\" UPHELD\"",
                  "\"UPHELD \"",
                  "1",
                  "0",
                  "\"1\"",
                  "\"\"",
                  "\"PENDING\"");
        };
    return Gen.frequency(weighted(5, right), weighted(2, anyValue()));
  }

  /** Any JSON value: the wrong type for most fields. */
  Gen<String> anyValue() {
    return Gen.oneOf(
        Gen.of(
            "null",
            "true",
            "false",
            "0",
            "-1",
            "1.5",
            "1e400",
            "{}",
            "[]",
            "{\"a\":[1,{\"b\":null}]}",
            "[\"x\",1,null]",
            "\"\"",
            "\"  \"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"\\udc00x\\ud800\"",
            "\"" + MARKER + "\\n\\t\\r\""),
        freeText().map(InputFuzzIT::quote));
  }

  Gen<String> malformedJson() {
    return Gen.oneOf(
        Gen.of(
            "{",
            "}",
            "{\"title\":",
            "{\"title\":\"" + MARKER,
            "{'title':'" + MARKER + "'}",
            "{title:\"" + MARKER + "\"}",
            "{\"title\":\"x\",}",
            "{\"title\":\"x\"} trailing " + MARKER,
            "{\"title\":\"x\"}{\"title\":\"y\"}",
            "{\"title\":NaN}",
            "{\"warnThreshold\":Infinity}",
            "{\"title\":01}",
            "{\"title\":0x10}",
            "{\"title\":\"x\" /* " + MARKER + " */}",
            "// " + MARKER + "\n{}",
            "{\"title\":\"\\x41\"}",
            "{\"title\":\"\\u12\"}",
            "{\"" + MARKER + "\"}",
            "{\"a\":1,\"a\":2}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "\u0000",
            " "),
        // Fields in a fixed order (Map.of's varies between JVMs): the same seed, the same requests.
        object(fields("title", Kind.TEXT, "text", Kind.TEXT))
            .map(s -> s.substring(0, Math.max(1, s.length() / 2))));
  }

  /** Free text: short or long, any Unicode (controls, RTL overrides, emoji), always the marker. */
  Gen<String> freeText() {
    return Gen.oneOf(
            Gen.strings(Gen.anyChar(), 0, 30),
            Gen.strings(Gen.chars('a', 'z'), 190, 210),
            Gen.strings(Gen.chars('a', 'z'), 9990, 10_010),
            Gen.of(
                "",
                " ",
                "\t\n",
                "<script>alert(1)</script>",
                "' OR 1=1; DROP TABLE domain_event_entry; --",
                "${jndi:ldap://x/a}",
                "%s%n%x",
                "\u202e\u2066",
                "\ud83d\ude00",
                "\u0000",
                "\u0085",
                "java.lang.IllegalStateException",
                "a\r\nX-Injected: 1"))
        .map(s -> s + MARKER);
  }

  static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String abbreviate(String text) {
    return text.length() <= 300 ? text : text.substring(0, 300) + "…(" + text.length() + ")";
  }

  // ------------------------------------------------------------------------ fixture and state

  /**
   * What the requests refer to, made through the API before the first try: tokens of each role, a
   * conversation of the fuzzing user (with a message and a flag), and the canary — a conversation
   * of two users no generated token belongs to.
   */
  static final class Fixture {
    final int port;
    final JdbcTemplate jdbc;
    final EventProcessingConfiguration processing;
    final Map<String, String> tokens = new java.util.LinkedHashMap<>();
    final List<String> badTokens = new ArrayList<>();
    String canary;
    List<String> canaryMessages = new ArrayList<>();
    String canaryOwnerToken;
    String ownConversation;
    String ownMessage;
    String ownFlag;
    String ownCard;
    long headBefore;
    String rowsBefore;
    long canaryEventsBefore;

    Fixture(int port, ApplicationContext context) throws Exception {
      this.port = port;
      this.jdbc = context.getBean(JdbcTemplate.class);
      this.processing = context.getBean(EventProcessingConfiguration.class);
      ApiClient api = new ApiClient(port);
      tokens.put("USER", api.token("fz-user", "USER"));
      tokens.put("MODERATOR", api.token("fz-mod", "MODERATOR"));
      tokens.put("COMPLIANCE", api.token("fz-comp", "COMPLIANCE"));
      tokens.put("OPS", api.token("fz-ops", "OPS"));
      RSAKey key = context.getBean(RSAKey.class);
      badTokens.add(sign(key, c -> c.expirationTime(Date.from(Instant.now().minusSeconds(60)))));
      badTokens.add(sign(key, c -> c.expirationTime(null)));
      badTokens.add(sign(key, c -> c.issuer("elsewhere")));
      badTokens.add(sign(key, c -> c.claim("roles", "USER MODERATOR")));
      badTokens.add(sign(key, c -> c.claim("roles", List.of(1, 2))));
      badTokens.add(sign(key, c -> c.claim("roles", List.of(List.of("USER")))));
      badTokens.add(sign(key, c -> c.subject("bad subject " + MARKER)));
      badTokens.add(sign(key, c -> c.subject(null)));
      badTokens.add(sign(key, c -> c.notBeforeTime(Date.from(Instant.now().plusSeconds(3600)))));

      canaryOwnerToken = api.token("fz-canary-owner", "USER");
      canary =
          api.postJson(
                  "/api/v1/conversations",
                  canaryOwnerToken,
                  Map.of("title", "Canary title", "participants", List.of("fz-canary-friend")))
              .json()
              .get("conversationId")
              .asText();
      for (String text : List.of("canary one", "canary two")) {
        canaryMessages.add(
            api.postJson(
                    "/api/v1/conversations/" + canary + "/messages",
                    canaryOwnerToken,
                    Map.of("text", text))
                .json()
                .get("messageId")
                .asText());
      }
      ownConversation =
          api.postJson("/api/v1/conversations", tokens.get("USER"), Map.of("title", "fuzz"))
              .json()
              .get("conversationId")
              .asText();
      ownMessage =
          api.postJson(
                  "/api/v1/conversations/" + ownConversation + "/messages",
                  tokens.get("USER"),
                  Map.of("text", "flag me"))
              .json()
              .get("messageId")
              .asText();
      await(() -> canaryTimeline(api).size() == 2 && ownTimelineHas(api, ownMessage));
      ownFlag =
          api.postJson(
                  "/api/v1/messages/" + ownMessage + "/flags",
                  tokens.get("USER"),
                  Map.of("reason", "fuzz"))
              .json()
              .get("flagId")
              .asText();
      ownCard =
          api.postJson(
                  "/api/v1/conversations/" + ownConversation + "/cards", tokens.get("USER"), null)
              .json()
              .get("cardId")
              .asText();
      headBefore =
          jdbc.queryForObject(
              "select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
      rowsBefore = rowsDigest(headBefore);
      canaryEventsBefore = canaryEvents().size();
    }

    List<String> canaryEvents() {
      return jdbc.queryForList(
          "select payload_type from domain_event_entry where aggregate_identifier = ?"
              + " order by sequence_number",
          String.class,
          canary);
    }

    /** A digest of every column of every event row up to {@code head}. */
    String rowsDigest(long head) throws Exception {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      jdbc.query(
          "select global_index, event_identifier, aggregate_identifier, sequence_number, type,"
              + " time_stamp, payload_type, payload_revision, payload, meta_data"
              + " from domain_event_entry where global_index <= ? order by global_index",
          rs -> {
            for (int column = 1; column <= 10; column++) {
              byte[] value = rs.getBytes(column);
              digest.update(value == null ? new byte[] {0} : value);
              digest.update((byte) 0x1F);
            }
          },
          head);
      return HexFormat.of().formatHex(digest.digest());
    }

    List<JsonNode> canaryTimeline(ApiClient api) {
      JsonNode page =
          api.get("/api/v1/conversations/" + canary + "/messages", canaryOwnerToken).json();
      List<JsonNode> items = new ArrayList<>();
      page.get("items").forEach(items::add);
      return items;
    }

    boolean ownTimelineHas(ApiClient api, String messageId) {
      return api.get("/api/v1/conversations/" + ownConversation + "/messages", tokens.get("USER"))
          .body()
          .contains(messageId);
    }

    /** The canary and the stored events are as before the fuzzing. */
    void assertIntact() throws Exception {
      ApiClient api = new ApiClient(port);
      assertThat(rowsDigest(headBefore))
          .as("event store rows written before")
          .isEqualTo(rowsBefore);
      List<String> events = canaryEvents();
      assertThat(events.subList(0, (int) canaryEventsBefore)).hasSize((int) canaryEventsBefore);
      assertThat(events.subList((int) canaryEventsBefore, events.size()))
          .as("canary events since")
          .allMatch(type -> type.endsWith("ModerationThresholdsChangedEvent"));
      // Every event now in the store handled by the timeline, so "exactly" below means exactly.
      long head =
          jdbc.queryForObject(
              "select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
      StreamingEventProcessor timelineProcessor =
          processing
              .eventProcessorByProcessingGroup("timeline", StreamingEventProcessor.class)
              .orElseThrow();
      await(
          () -> {
            var statuses = timelineProcessor.processingStatus();
            Integer segments =
                jdbc.queryForObject(
                    "select count(*) from token_entry where processor_name = 'timeline'",
                    Integer.class);
            return statuses.size() == segments
                && statuses.values().stream()
                    .allMatch(s -> s.isCaughtUp() && s.getCurrentPosition().orElse(-1) >= head);
          });
      JsonNode conversation = api.get("/api/v1/conversations/" + canary, canaryOwnerToken).json();
      assertThat(conversation.get("title").asText()).isEqualTo("Canary title");
      List<String> participants = new ArrayList<>();
      conversation.get("participants").forEach(p -> participants.add(p.asText()));
      assertThat(participants).containsExactlyInAnyOrder("fz-canary-owner", "fz-canary-friend");
      List<JsonNode> timeline = canaryTimeline(api);
      assertThat(timeline.stream().map(m -> m.get("messageId").asText()).toList())
          .containsExactlyInAnyOrderElementsOf(canaryMessages);
      assertThat(timeline.stream().map(m -> m.get("text").asText()).collect(Collectors.toSet()))
          .isEqualTo(Set.of("canary one", "canary two"));
    }

    static String sign(RSAKey key, java.util.function.UnaryOperator<JWTClaimsSet.Builder> change)
        throws Exception {
      return SignedTokens.sign(
          key, change.apply(SignedTokens.validClaims("parley-dev", "fz-user")).build());
    }

    static void await(java.util.concurrent.Callable<Boolean> condition) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .ignoreExceptions() // a read before the projection has the conversation: a 404
          .until(condition);
    }
  }
}
