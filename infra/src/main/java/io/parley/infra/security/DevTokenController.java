package io.parley.infra.security;

import io.parley.api.conversation.ConversationLimits;
import io.parley.api.error.InvalidInputException;
import io.parley.infra.ParleyModes;
import io.parley.infra.ParleyProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.springframework.context.annotation.Profile;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/dev/tokens}: a signed token for any subject and roles. Dev mode only. */
@RestController
@Profile("!" + ParleyModes.PROD)
@Tag(name = "Dev tokens")
public class DevTokenController {

  static final Set<String> ROLES = SecurityConfig.ROLES;
  static final String ISSUER = "parley-dev";

  private final JwtEncoder encoder;
  private final Clock clock;
  private final ParleyProperties properties;

  public DevTokenController(JwtEncoder encoder, Clock clock, ParleyProperties properties) {
    this.encoder = encoder;
    this.clock = clock;
    this.properties = properties;
  }

  @Schema(
      example =
          """
          {"sub": "alice", "roles": ["USER"]}""")
  public record TokenRequest(
      @Schema(
              description = "The user id the token names",
              pattern = "^" + ConversationLimits.USER_ID_PATTERN + "$")
          @NotNull
          String sub,
      @ArraySchema(
              arraySchema = @Schema(description = "Default [\"USER\"]"),
              schema = @Schema(allowableValues = {"USER", "MODERATOR", "COMPLIANCE", "OPS"}))
          List<String> roles) {}

  public record TokenResponse(String token, Instant expiresAt) {}

  @Operation(
      summary = "Issue a dev token",
      description =
          "Dev mode only (absent, 404, in the prod profile); needs no token. Signs a bearer token"
              + " for any subject and roles, valid for parley.dev-token-ttl (default 12 hours).")
  @SecurityRequirements
  @ApiResponse(
      responseCode = "200",
      description = "The token",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON_VALUE,
              schema = @Schema(implementation = TokenResponse.class),
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"token": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl",
                           "expiresAt": "2026-12-01T21:00:00Z"}""")))
  @ApiResponse(
      responseCode = "400",
      description =
          "sub missing or not a user id; roles not among USER, MODERATOR, COMPLIANCE, OPS")
  @PostMapping(
      path = "/api/dev/tokens",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public TokenResponse issue(@Valid @RequestBody TokenRequest request) {
    if (!ConversationLimits.isValidUserId(request.sub())) {
      throw new InvalidInputException("sub", "must be 1..64 characters of [A-Za-z0-9._@-]");
    }
    List<String> roles = request.roles() == null ? List.of("USER") : request.roles();
    if (roles.stream().anyMatch(role -> role == null || !ROLES.contains(role))) {
      throw new InvalidInputException("roles", "each must be one of " + ROLES);
    }
    Instant now = clock.instant();
    Instant expiresAt = now.plus(properties.devTokenTtl());
    JwtClaimsSet claims =
        JwtClaimsSet.builder()
            .issuer(ISSUER)
            .subject(request.sub())
            .issuedAt(now)
            .expiresAt(expiresAt)
            .claim(SecurityConfig.ROLES_CLAIM, List.copyOf(roles))
            .build();
    String token =
        encoder
            .encode(
                JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims))
            .getTokenValue();
    return new TokenResponse(token, expiresAt);
  }
}
