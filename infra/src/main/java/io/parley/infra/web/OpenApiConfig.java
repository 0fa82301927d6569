package io.parley.infra.web;

import io.parley.api.IdempotencyKey;
import io.parley.infra.ParleyProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The OpenAPI document served at {@code /api/docs} (Swagger UI at {@code /swagger-ui.html}),
 * generated from the controllers; {@code docs/api.md} is the overview it goes with. Each controller
 * documents what is its own: summary, parameters, body schema and example, the success answer with
 * an example, and the error statuses only it gives (each with a one-line description). What every
 * operation shares is added here, once:
 *
 * <ul>
 *   <li>bearer authentication, and for every operation that needs it 401 and 403 (the dev token
 *       endpoint opts out with an empty {@code @SecurityRequirements});
 *   <li>under {@code /api/v1/}, which reads or writes the database: 503 with {@code Retry-After},
 *       and 409 (a concurrent change that retries could not reconcile) on every command;
 *   <li>413 and 415 wherever a body is read; {@code Idempotency-Key} on every command POST;
 *   <li>{@code X-Request-Id} on every request and response;
 *   <li>every 4xx and 5xx as an {@code application/problem+json} document ({@value #PROBLEM}
 *       schema) with an example built from the status and its description.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

  static final String BEARER = "bearer-jwt";
  static final String PROBLEM = "Problem";
  static final String FIELD_PROBLEM = "FieldProblem";
  static final String RETRY_AFTER = "Retry-After";

  private static final String PROBLEM_JSON =
      org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
  private static final String SAMPLE_UUID = "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41";
  private static final String SAMPLE_USER = "alice";

  @Bean
  public OpenAPI parleyOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Parley HTTP API")
                .version("1")
                .description(
                    "Event-sourced conversations. Start with docs/api.md in the repository:"
                        + " authentication, errors, idempotency, paging and consistency.\n\n"
                        + "Every error is application/problem+json (RFC 9457); every response"
                        + " carries X-Request-Id. Any POST takes an Idempotency-Key. Reads are"
                        + " eventually consistent: a change made by a 2xx command is visible to"
                        + " queries within about a second.")
                .license(new License().name("Apache-2.0")))
        .tags(
            List.of(
                tag("Dev tokens", "Dev mode only: bearer tokens for local use"),
                tag(
                    "Conversations and messages",
                    "Role USER (moderation thresholds: the owner, or MODERATOR)"),
                tag("Moderation flags", "Flagging: role USER; the queue and decisions: MODERATOR"),
                tag("Consent", "Role USER, about the caller"),
                tag(
                    "Data subject rights",
                    "Export and erasure: the caller's own (USER) or anyone's (COMPLIANCE)")))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description(
                            "sub = user id; roles claim: USER, MODERATOR, COMPLIANCE, OPS"))
                .addHeaders(
                    RETRY_AFTER,
                    new Header()
                        .description("Seconds to wait before trying again")
                        .schema(new IntegerSchema()))
                .addHeaders(
                    RequestCorrelation.HEADER,
                    new Header()
                        .description(
                            "The request's id: the client's X-Request-Id when it sent a usable"
                                + " one, else generated; the correlation id in logs and events")
                        .schema(new StringSchema()))
                .addParameters(
                    RequestCorrelation.HEADER,
                    new HeaderParameter()
                        .name(RequestCorrelation.HEADER)
                        .required(false)
                        .description(
                            "Optional id for this request, echoed in the response and used as"
                                + " the correlation id; 1..128 characters of [A-Za-z0-9._:-]"
                                + " (otherwise a new one is generated)")
                        .schema(
                            new StringSchema()
                                .pattern("^" + RequestCorrelation.ACCEPTABLE_ID.pattern() + "$"))))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }

  /** What every operation shares (see the class comment), added to the controllers' own. */
  @Bean
  public OpenApiCustomizer sharedParametersAndResponses(ParleyProperties properties) {
    long bodyLimit = properties.maxRequestBody().toBytes();
    return openApi -> {
      // Here, not in the OpenAPI bean: springdoc drops the bean's schemas that nothing refers to
      // before the customizers add the references.
      openApi
          .getComponents()
          .addSchemas(PROBLEM, problemSchema())
          .addSchemas(FIELD_PROBLEM, fieldProblemSchema());
      openApi
          .getPaths()
          .forEach(
              (path, item) ->
                  item.readOperationsMap()
                      .forEach(
                          (method, operation) -> {
                            if (!path.startsWith("/api/")) {
                              return;
                            }
                            if (method == PathItem.HttpMethod.POST && path.startsWith("/api/v1/")) {
                              idempotencyKey(operation);
                            }
                            share(path, method, operation, bodyLimit, openApi.getComponents());
                          }));
    };
  }

  /**
   * Every command POST takes an {@code Idempotency-Key} (API.md); the header is read once for all
   * of them ({@link RequestCorrelation}), so controllers need not declare it (those that read it
   * themselves do, and get the same schema). The dev token endpoint sends no command and is left
   * out.
   */
  private static void idempotencyKey(Operation post) {
    Parameter key =
        post.getParameters() == null
            ? null
            : post.getParameters().stream()
                .filter(p -> IdempotencyKey.HEADER.equals(p.getName()))
                .findFirst()
                .orElse(null);
    if (key == null) {
      key = new HeaderParameter().name(IdempotencyKey.HEADER);
      post.addParametersItem(key);
    }
    key.required(false)
        .description(
            "A retry with the same key (same caller and path) answers the first outcome and"
                + " produces no second event; keys are remembered for"
                + " parley.idempotency-key-retention (default 7 days)")
        .schema(new StringSchema().minLength(1).maxLength(IdempotencyKey.MAX_LENGTH));
  }

  private static void share(
      String path,
      PathItem.HttpMethod method,
      Operation operation,
      long bodyLimit,
      Components components) {
    String requestId = "#/components/parameters/" + RequestCorrelation.HEADER;
    if (operation.getParameters() == null
        || operation.getParameters().stream().noneMatch(p -> requestId.equals(p.get$ref()))) {
      operation.addParametersItem(new Parameter().$ref(requestId));
    }
    ApiResponses responses = operation.getResponses();
    boolean secured = operation.getSecurity() == null || !operation.getSecurity().isEmpty();
    boolean database = path.startsWith("/api/v1/");
    String instance = samplePath(path, operation);
    if (secured) {
      addProblem(
          responses,
          HttpStatus.UNAUTHORIZED,
          "No bearer token, or one that is malformed, expired or not from the issuer",
          "A valid bearer token is required",
          instance);
      responses
          .get("401")
          .addHeaderObject(
              "WWW-Authenticate", new Header().description("Bearer").schema(new StringSchema()));
      addProblem(
          responses,
          HttpStatus.FORBIDDEN,
          "The token lacks the role this operation requires",
          "The token lacks the role this requires",
          instance);
    }
    if (operation.getRequestBody() != null) {
      addProblem(
          responses,
          HttpStatus.PAYLOAD_TOO_LARGE,
          "The body is larger than " + bodyLimit + " bytes (parley.max-request-body)",
          "The request body exceeds " + bodyLimit + " bytes",
          instance);
      addProblem(
          responses,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "The Content-Type is not application/json",
          "The Content-Type is not supported here: send application/json",
          instance);
    }
    if (database && method != PathItem.HttpMethod.GET) {
      addProblem(
          responses,
          HttpStatus.CONFLICT,
          "A concurrent change to the same resource could not be reconciled; retry",
          "A concurrent change could not be reconciled; retry",
          instance);
    }
    if (database) {
      addProblem(
          responses,
          HttpStatus.SERVICE_UNAVAILABLE,
          "A dependency (the database) is unavailable; retry after Retry-After seconds",
          "A dependency is unavailable; retry later",
          instance);
    }
    responses.forEach(
        (code, response) -> {
          int status = Integer.parseInt(code);
          if (status >= 400 && !hasProblemContent(response)) {
            Map<String, Object> example =
                status == 400
                    ? badRequestExample(operation, components, instance)
                    : problemExample(
                        HttpStatus.valueOf(status), response.getDescription(), instance);
            response.setContent(problemContent(example));
          }
          if (status == 429 || status == 503) {
            response.addHeaderObject(
                RETRY_AFTER, new Header().$ref("#/components/headers/" + RETRY_AFTER));
          }
          response.addHeaderObject(
              RequestCorrelation.HEADER,
              new Header().$ref("#/components/headers/" + RequestCorrelation.HEADER));
        });
    ApiResponse forbidden = responses.get("403");
    String roleMissing = "the token lacks the role this operation requires";
    if (secured && !forbidden.getDescription().toLowerCase().contains(roleMissing)) {
      forbidden.setDescription(forbidden.getDescription() + "; or " + roleMissing);
    }
    ApiResponses sorted = new ApiResponses();
    responses.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
        .forEach(entry -> sorted.addApiResponse(entry.getKey(), entry.getValue()));
    operation.setResponses(sorted);
  }

  /** A shared problem response, unless the controller declared this status itself. */
  private static void addProblem(
      ApiResponses responses, HttpStatus status, String description, String detail, String path) {
    String code = Integer.toString(status.value());
    if (!responses.containsKey(code)) {
      responses.addApiResponse(
          code,
          new ApiResponse()
              .description(description)
              .content(problemContent(problemExample(status, detail, path))));
    }
  }

  private static boolean hasProblemContent(ApiResponse response) {
    return response.getContent() != null && response.getContent().containsKey(PROBLEM_JSON);
  }

  private static Content problemContent(Map<String, Object> example) {
    return new Content()
        .addMediaType(
            PROBLEM_JSON,
            new MediaType()
                .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
                .example(example));
  }

  /** The document {@code ProblemResponses} writes for this status. */
  private static Map<String, Object> problemExample(HttpStatus status, String detail, String path) {
    Map<String, Object> example = new LinkedHashMap<>();
    example.put("type", "urn:parley:problem:" + status.name().toLowerCase().replace('_', '-'));
    example.put("title", status.getReasonPhrase());
    example.put("status", status.value());
    example.put("detail", detail);
    example.put("instance", path);
    return example;
  }

  /**
   * A 400 as this operation would answer it: its body's first required field missing; else its
   * first path or query parameter malformed; else a request the firewall refuses.
   */
  private static Map<String, Object> badRequestExample(
      Operation operation, Components components, String path) {
    String field = firstRequiredBodyField(operation, components);
    String detail = "The request is invalid";
    String message = "is required";
    if (field == null && operation.getParameters() != null) {
      field =
          operation.getParameters().stream()
              .filter(p -> "path".equals(p.getIn()) || "query".equals(p.getIn()))
              .map(Parameter::getName)
              .findFirst()
              .orElse(null);
      detail = "A path or query parameter is malformed";
      message = "is malformed";
    }
    if (field == null && hasParameter(operation, IdempotencyKey.HEADER)) {
      field = IdempotencyKey.HEADER;
      detail = "The request is invalid";
      message =
          "idempotency keys are 1.."
              + IdempotencyKey.MAX_LENGTH
              + " characters, without control"
              + " characters";
    }
    if (field == null) {
      detail = "The request's method, URL, a header or a parameter name is not allowed";
    }
    Map<String, Object> example = problemExample(HttpStatus.BAD_REQUEST, detail, path);
    if (field != null) {
      example.put("errors", List.of(Map.of("field", field, "message", message)));
    }
    return example;
  }

  private static boolean hasParameter(Operation operation, String name) {
    return operation.getParameters() != null
        && operation.getParameters().stream().anyMatch(p -> name.equals(p.getName()));
  }

  private static String firstRequiredBodyField(Operation operation, Components components) {
    if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
      return null;
    }
    for (MediaType media : operation.getRequestBody().getContent().values()) {
      Schema<?> schema = media.getSchema();
      if (schema != null && schema.get$ref() != null) {
        Schema<?> body = components.getSchemas().get(refName(schema.get$ref()));
        List<String> required = body == null ? null : body.getRequired();
        if (required != null && !required.isEmpty()) {
          return required.get(0);
        }
      }
    }
    return null;
  }

  private static String refName(String ref) {
    return ref.substring(ref.lastIndexOf('/') + 1);
  }

  /** The path with its parameters filled in, as a problem's {@code instance}. */
  private static String samplePath(String path, Operation operation) {
    String sample = path;
    if (operation.getParameters() != null) {
      for (Parameter parameter : operation.getParameters()) {
        if (!"path".equals(parameter.getIn())) {
          continue;
        }
        Schema<?> schema = parameter.getSchema();
        String value = SAMPLE_USER;
        if (schema != null && "uuid".equals(schema.getFormat())) {
          value = SAMPLE_UUID;
        } else if (schema != null && schema.getEnum() != null && !schema.getEnum().isEmpty()) {
          value = String.valueOf(schema.getEnum().get(0));
        }
        sample = sample.replace("{" + parameter.getName() + "}", value);
      }
    }
    return sample;
  }

  private static Schema<?> problemSchema() {
    return new ObjectSchema()
        .description(
            "An error (RFC 9457). Never holds stack traces, class names, SQL, or anything the"
                + " client sent")
        .addProperty(
            "type",
            new StringSchema()
                .description(
                    "urn:parley:problem: and the status's name, e.g."
                        + " urn:parley:problem:not-found"))
        .addProperty("title", new StringSchema().description("The status's reason phrase"))
        .addProperty("status", new IntegerSchema().description("The HTTP status"))
        .addProperty("detail", new StringSchema().description("What went wrong, for a person"))
        .addProperty("instance", new StringSchema().description("The path requested"))
        .addProperty(
            "errors",
            new ArraySchema()
                .items(new Schema<>().$ref("#/components/schemas/" + FIELD_PROBLEM))
                .description("On a 400 about fields, headers or parameters: each one named"))
        .required(List.of("type", "title", "status", "detail"));
  }

  private static Schema<?> fieldProblemSchema() {
    return new ObjectSchema()
        .description("One invalid field, header or parameter; never its value")
        .addProperty("field", new StringSchema().description("Its JSON or HTTP name"))
        .addProperty("message", new StringSchema().description("What is wrong"))
        .required(List.of("field", "message"));
  }

  private static Tag tag(String name, String description) {
    return new Tag().name(name).description(description);
  }
}
