package io.parley.infra.web;

import io.parley.api.IdempotencyKey;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document served at {@code /api/docs} (Swagger UI at {@code /swagger-ui.html}),
 * generated from the controllers; {@code ../shared/design/API.md} is the contract it follows.
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfig {

  static final String BEARER = "bearer-jwt";

  @Bean
  public OpenAPI parleyOpenApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Parley HTTP API")
                .version("1")
                .description(
                    "Event-sourced conversations. Errors are application/problem+json (RFC 9457);"
                        + " every response carries X-Request-Id. Reads are eventually consistent.")
                .license(new License().name("Apache-2.0")))
        .components(
            new Components()
                .addSecuritySchemes(
                    BEARER,
                    new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("bearer")
                        .bearerFormat("JWT")
                        .description(
                            "sub = user id; roles claim: USER, MODERATOR, COMPLIANCE, OPS")))
        .addSecurityItem(new SecurityRequirement().addList(BEARER));
  }

  /**
   * Every command POST takes an {@code Idempotency-Key} (API.md); the header is read once for all
   * of them ({@link RequestCorrelation}), so no controller declares it. The dev token endpoint
   * sends no command and is left out.
   */
  @Bean
  public OpenApiCustomizer idempotencyKeyHeader() {
    return openApi ->
        openApi
            .getPaths()
            .forEach(
                (path, item) -> {
                  if (item.getPost() == null || !path.startsWith("/api/v1/")) {
                    return;
                  }
                  boolean declared =
                      item.getPost().getParameters() != null
                          && item.getPost().getParameters().stream()
                              .anyMatch(p -> IdempotencyKey.HEADER.equals(p.getName()));
                  if (!declared) {
                    item.getPost()
                        .addParametersItem(
                            new HeaderParameter()
                                .name(IdempotencyKey.HEADER)
                                .required(false)
                                .description(
                                    "A retry with the same key (same caller and path) answers"
                                        + " the first outcome and produces no second event;"
                                        + " remembered for parley.idempotency-key-retention")
                                .schema(
                                    new StringSchema()
                                        .minLength(1)
                                        .maxLength(IdempotencyKey.MAX_LENGTH)));
                  }
                });
  }
}
