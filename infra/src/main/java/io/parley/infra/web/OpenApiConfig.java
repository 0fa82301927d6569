package io.parley.infra.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
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
}
