package io.parley.infra.web;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.IdempotencyKey;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The OpenAPI document at {@code /api/docs}, fetched over HTTP, describes every handler method that
 * Spring MVC maps under {@code /api} (so an endpoint added without documentation fails here): its
 * summary, its path, query and header parameters, its request body with an example, its success
 * answer with an example, and every error status it can answer as a problem document — 400 always,
 * 401 and 403 exactly when it needs a token (asked of the running application, without one), and
 * the ones {@link #ERRORS} lists for it. Examples name only fields their schema has.
 */
class OpenApiDocumentIT extends ParleyIntegrationTest {

  /**
   * The error statuses each endpoint documents besides 400, 401 and 403: the contract of
   * docs/api.md and API.md. A new endpoint is added here with the statuses it can answer.
   */
  static final Map<String, Set<Integer>> ERRORS =
      Map.ofEntries(
          entry("POST /api/dev/tokens", Set.of(413, 415)),
          entry("GET /api/v1/conversations", Set.of(503)),
          entry("POST /api/v1/conversations", Set.of(409, 413, 415, 503)),
          entry("GET /api/v1/conversations/{conversationId}", Set.of(404, 503)),
          entry(
              "POST /api/v1/conversations/{conversationId}/participants",
              Set.of(404, 409, 413, 415, 422, 503)),
          entry("GET /api/v1/conversations/{conversationId}/messages", Set.of(404, 503)),
          entry(
              "POST /api/v1/conversations/{conversationId}/messages",
              Set.of(404, 409, 413, 415, 429, 503)),
          entry(
              "PUT /api/v1/conversations/{conversationId}/moderation",
              Set.of(404, 409, 413, 415, 503)),
          entry("POST /api/v1/messages/{messageId}/flags", Set.of(404, 409, 413, 415, 503)),
          entry("POST /api/v1/conversations/{conversationId}/cards", Set.of(404, 409, 503)),
          entry("GET /api/v1/conversations/{conversationId}/cards", Set.of(404, 503)),
          entry("GET /api/v1/cards/{cardId}", Set.of(404, 503)),
          entry("GET /api/v1/cards/{cardId}/artwork.svg", Set.of(404, 503)),
          entry("GET /api/v1/flags", Set.of(503)),
          entry("POST /api/v1/flags/{flagId}/review", Set.of(404, 409, 503)),
          entry("POST /api/v1/flags/{flagId}/resolve", Set.of(404, 409, 413, 415, 503)),
          entry("PUT /api/v1/me/consents/{purpose}", Set.of(409, 413, 415, 503)),
          entry("GET /api/v1/me/consents", Set.of(503)),
          entry("GET /api/v1/me/export", Set.of(410, 503)),
          entry("POST /api/v1/me/erasure", Set.of(409, 503)),
          entry("DELETE /api/v1/me/erasure", Set.of(404, 409, 503)),
          entry("GET /api/v1/compliance/subjects/{subjectId}/export", Set.of(410, 503)),
          entry("GET /api/v1/audit/conversations/{conversationId}/state", Set.of(404, 503)),
          entry("GET /api/v1/audit/events", Set.of(503)),
          entry("GET /api/v1/audit/integrity", Set.of(503)),
          entry("GET /api/v1/ops/processors", Set.of(503)),
          entry("POST /api/v1/ops/processors/{name}/replay", Set.of(404, 409, 503)),
          entry("GET /api/v1/ops/dead-letters", Set.of(404, 503)),
          entry("POST /api/v1/ops/dead-letters/{id}/retry", Set.of(404, 409, 503)),
          entry("DELETE /api/v1/ops/dead-letters/{id}", Set.of(404, 409, 503)),
          entry("GET /api/v1/ops/sagas", Set.of(404, 503)),
          entry("GET /api/v1/ops/sagas/{sagaId}", Set.of(404, 503)),
          entry(
              "POST /api/v1/compliance/subjects/{subjectId}/erasure", Set.of(409, 413, 415, 503)));

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping handlerMapping;

  JsonNode document;

  @BeforeEach
  void fetchDocument() {
    Response response = api.get("/api/docs", null);
    assertThat(response.status()).isEqualTo(200);
    document = response.json();
  }

  @Test
  void everyEndpointUnderApiIsListedWithItsErrorStatuses() {
    assertThat(endpoints().keySet()).containsExactlyInAnyOrderElementsOf(ERRORS.keySet());
  }

  @Test
  void everyEndpointUnderApiIsDocumented() {
    SoftAssertions softly = new SoftAssertions();
    endpoints().forEach((endpoint, handler) -> checkOperation(softly, endpoint, handler));
    softly.assertAll();
  }

  @Test
  void problemSchemaHasTheFieldsOfApiMd() {
    JsonNode problem = document.at("/components/schemas/Problem/properties");
    assertThat(problem.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "errors");
    assertThat(document.at("/components/schemas/FieldProblem/properties").fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("field", "message");
    assertThat(document.at("/components/securitySchemes/bearer-jwt/scheme").asText())
        .isEqualTo("bearer");
  }

  @Test
  void theErrorControllerIsNotPartOfTheApi() {
    assertThat(document.path("paths").has("/error")).isFalse();
  }

  private void checkOperation(SoftAssertions softly, String endpoint, HandlerMethod handler) {
    String method = endpoint.substring(0, endpoint.indexOf(' '));
    String path = endpoint.substring(endpoint.indexOf(' ') + 1);
    JsonNode operation = document.path("paths").path(path).path(method.toLowerCase());
    if (operation.isMissingNode()) {
      softly.fail("%s is mapped but not in /api/docs", endpoint);
      return;
    }
    softly.assertThat(operation.path("summary").asText()).as("%s summary", endpoint).isNotBlank();

    checkParameters(softly, endpoint, handler, operation);

    boolean hasBody =
        List.of(handler.getMethodParameters()).stream()
            .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
    softly
        .assertThat(operation.has("requestBody"))
        .as("%s documents its request body", endpoint)
        .isEqualTo(hasBody);
    if (hasBody) {
      JsonNode media = operation.at("/requestBody/content/application~1json");
      checkExample(softly, endpoint + " request body", media);
    }

    JsonNode responses = operation.path("responses");
    List<String> successes = new ArrayList<>();
    Set<Integer> errors = new TreeSet<>();
    responses
        .fieldNames()
        .forEachRemaining(
            code -> {
              int status = Integer.parseInt(code);
              if (status >= 200 && status < 300) {
                successes.add(code);
              } else if (status >= 400) {
                errors.add(status);
              }
            });
    softly.assertThat(successes).as("%s success responses", endpoint).hasSize(1);
    for (String code : successes) {
      JsonNode content = responses.path(code).path("content");
      content
          .fields()
          .forEachRemaining(media -> checkExample(softly, endpoint + " " + code, media.getValue()));
    }

    Set<Integer> expected = new TreeSet<>(ERRORS.getOrDefault(endpoint, Set.of()));
    expected.add(400);
    boolean secured = needsToken(method, path);
    if (secured) {
      expected.add(401);
      expected.add(403);
    } else {
      softly
          .assertThat(operation.path("security").isArray() && operation.path("security").isEmpty())
          .as("%s is public and says so (security: [])", endpoint)
          .isTrue();
    }
    softly.assertThat(errors).as("%s error statuses", endpoint).isEqualTo(expected);
    for (int status : errors) {
      JsonNode response = responses.path(Integer.toString(status));
      softly
          .assertThat(response.path("description").asText())
          .as("%s %s description", endpoint, status)
          .isNotBlank();
      JsonNode problem = response.at("/content/application~1problem+json");
      softly
          .assertThat(problem.at("/schema/$ref").asText())
          .as("%s %s is a problem document", endpoint, status)
          .isEqualTo("#/components/schemas/Problem");
      JsonNode example = example(problem);
      softly
          .assertThat(example.path("status").asInt())
          .as("%s %s example", endpoint, status)
          .isEqualTo(status);
      softly
          .assertThat(example.path("type").asText())
          .as("%s %s example type", endpoint, status)
          .startsWith("urn:parley:problem:");
      if (status == 429 || status == 503) {
        softly
            .assertThat(response.path("headers").has("Retry-After"))
            .as("%s %s has Retry-After", endpoint, status)
            .isTrue();
      }
    }
  }

  /** Every parameter the handler binds is documented; query parameters say what they mean. */
  private void checkParameters(
      SoftAssertions softly, String endpoint, HandlerMethod handler, JsonNode operation) {
    Map<String, JsonNode> documented = new TreeMap<>();
    operation
        .path("parameters")
        .forEach(p -> documented.put(p.path("in").asText() + " " + p.path("name").asText(), p));
    for (MethodParameter parameter : handler.getMethodParameters()) {
      parameter.initParameterNameDiscovery(new DefaultParameterNameDiscoverer());
      String key = null;
      PathVariable pathVariable = parameter.getParameterAnnotation(PathVariable.class);
      RequestParam requestParam = parameter.getParameterAnnotation(RequestParam.class);
      RequestHeader requestHeader = parameter.getParameterAnnotation(RequestHeader.class);
      if (pathVariable != null) {
        key = "path " + name(pathVariable.name(), parameter);
      } else if (requestParam != null) {
        key = "query " + name(requestParam.name(), parameter);
      } else if (requestHeader != null) {
        key = "header " + name(requestHeader.name(), parameter);
      }
      if (key == null) {
        continue;
      }
      softly.assertThat(documented).as("%s parameters", endpoint).containsKey(key);
      if (requestParam != null && documented.containsKey(key)) {
        softly
            .assertThat(documented.get(key).path("description").asText())
            .as("%s %s description", endpoint, key)
            .isNotBlank();
      }
    }
    if (endpoint.startsWith("POST /api/v1/")) {
      softly
          .assertThat(documented)
          .as("%s takes an Idempotency-Key", endpoint)
          .containsKey("header " + IdempotencyKey.HEADER);
    }
  }

  private static String name(String declared, MethodParameter parameter) {
    return declared.isEmpty() ? parameter.getParameterName() : declared;
  }

  /** The media type has an example (its own or its schema's) naming only the schema's fields. */
  private void checkExample(SoftAssertions softly, String what, JsonNode media) {
    JsonNode example = example(media);
    if (example.isMissingNode()) {
      softly.fail("%s has no example", what);
      return;
    }
    checkFields(softly, what, example, media.path("schema"));
  }

  private void checkFields(SoftAssertions softly, String what, JsonNode example, JsonNode schema) {
    JsonNode resolved = resolve(schema);
    if (example.isArray()) {
      example.forEach(item -> checkFields(softly, what, item, resolved.path("items")));
      return;
    }
    JsonNode properties = resolved.path("properties");
    if (!example.isObject() || properties.isMissingNode()) {
      return; // a scalar, or a schema that does not list its fields (the export document)
    }
    for (Iterator<String> names = example.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!properties.has(name)) {
        softly.fail("%s example has %s, which its schema does not", what, name);
      } else {
        checkFields(softly, what + "." + name, example.get(name), properties.get(name));
      }
    }
    resolved
        .path("required")
        .forEach(
            required ->
                softly
                    .assertThat(example.has(required.asText()))
                    .as("%s example has required %s", what, required.asText())
                    .isTrue());
  }

  private JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asText();
    return ref.isEmpty() ? schema : document.at(ref.substring(1));
  }

  /** The media type's example, its first named example, or its (referenced) schema's example. */
  private JsonNode example(JsonNode media) {
    if (media.has("example")) {
      return media.get("example");
    }
    if (media.path("examples").isObject() && !media.path("examples").isEmpty()) {
      return media.path("examples").elements().next().path("value");
    }
    JsonNode schema = resolve(media.path("schema"));
    if (schema.has("example")) {
      return schema.get("example");
    }
    if (schema.path("examples").isArray() && !schema.path("examples").isEmpty()) {
      return schema.path("examples").get(0);
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** Asked of the running application: without a token, does the endpoint answer 401? */
  private boolean needsToken(String method, String path) {
    String concrete =
        path.replace("{purpose}", "ANALYTICS")
            .replace("{subjectId}", "alice")
            .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    return api.send(method, concrete, null, null, null, Map.of()).status() == 401;
  }

  /** "METHOD /path" of every handler method Spring MVC maps under /api, but the docs themselves. */
  private Map<String, HandlerMethod> endpoints() {
    Map<String, HandlerMethod> endpoints = new TreeMap<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
        handlerMapping.getHandlerMethods().entrySet()) {
      for (String pattern : mapping.getKey().getPatternValues()) {
        if (!pattern.startsWith("/api/") || pattern.startsWith("/api/docs")) {
          continue;
        }
        Set<RequestMethod> methods = mapping.getKey().getMethodsCondition().getMethods();
        assertThat(methods).as("%s maps one HTTP method", pattern).isNotEmpty();
        for (RequestMethod method : methods) {
          endpoints.put(method.name() + " " + pattern, mapping.getValue());
        }
      }
    }
    assertThat(endpoints).isNotEmpty();
    return endpoints;
  }
}
