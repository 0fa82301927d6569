package io.parley.infra.security;

import io.parley.api.conversation.ConversationLimits;
import io.parley.infra.web.ProblemResponses;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * One filter chain for both modes: a stateless OAuth2 resource server whose roles come from the
 * token's {@code roles} claim, with the same token checks ({@link #tokenValidator}). Only the
 * {@code JwtDecoder}'s key and issuer differ between dev ({@link DevSecurityConfig}) and prod
 * ({@link ProdSecurityConfig}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  public static final String ROLES_CLAIM = "roles";

  /** The roles Parley's rules know; a token may carry others, which grant nothing. */
  public static final Set<String> ROLES = Set.of("USER", "MODERATOR", "COMPLIANCE", "OPS");

  @Bean
  public SecurityFilterChain securityFilterChain(
      HttpSecurity http,
      ProblemResponses problems,
      AuditRefusals auditRefusals,
      Environment environment)
      throws Exception {
    // 401 and 403 are written as ProblemDetailsAdvice maps AuthenticationException and
    // AccessDeniedException, by the resource server's filter and by the chain's last filter alike.
    // Refused audit reads are counted on the way.
    AuthenticationEntryPoint unauthorized =
        (request, response, failure) -> {
          auditRefusals.unauthenticated(request);
          problems.answer(request, response, failure);
        };
    AccessDeniedHandler denied =
        (request, response, failure) -> {
          auditRefusals.forbidden(request);
          problems.answer(request, response, failure);
        };
    http.csrf(AbstractHttpConfigurer::disable)
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .authorizeHttpRequests(
            auth ->
                auth.requestMatchers(HttpMethod.POST, "/api/dev/tokens")
                    .permitAll()
                    .requestMatchers(
                        "/api/docs", "/api/docs/**", "/swagger-ui/**", "/swagger-ui.html")
                    .permitAll()
                    .requestMatchers("/actuator/health", "/actuator/health/**")
                    .permitAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .requestMatchers(onTheManagementPort(environment, "/actuator/prometheus"))
                    .permitAll()
                    // The /ops page and its script: static, no data; it asks for an OPS token and
                    // sends it with every /api/v1/ops call (API.md "Operations").
                    .requestMatchers(HttpMethod.GET, "/ops", "/ops/**")
                    .permitAll()
                    // "Owner or MODERATOR": a moderator's token need not also say USER.
                    .requestMatchers(HttpMethod.PUT, "/api/v1/conversations/*/moderation")
                    .hasAnyRole("USER", "MODERATOR")
                    .requestMatchers("/api/v1/conversations", "/api/v1/conversations/**")
                    .hasRole("USER")
                    .requestMatchers("/api/v1/messages/**", "/api/v1/me/**", "/api/v1/cards/**")
                    .hasRole("USER")
                    .requestMatchers("/api/v1/flags", "/api/v1/flags/**")
                    .hasRole("MODERATOR")
                    .requestMatchers("/api/v1/compliance/**", "/api/v1/audit/**")
                    .hasRole("COMPLIANCE")
                    .requestMatchers("/api/v1/ops/**", "/actuator/**")
                    .hasRole("OPS")
                    .anyRequest()
                    .authenticated())
        .oauth2ResourceServer(
            oauth ->
                oauth
                    .jwt(jwt -> jwt.jwtAuthenticationConverter(jwtAuthenticationConverter()))
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(denied))
        .exceptionHandling(
            e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(denied));
    return http.build();
  }

  /**
   * A request for {@code path} that reached the management server, when {@code
   * management.server.port} gives it a port of its own (API.md: metrics need no token there, so a
   * Prometheus inside the network scrapes without one; keep that port off the public network). On
   * the application's port, and when no management port is set, the same path asks for OPS. Boot
   * publishes the management server's actual port (also a random one) as {@code
   * local.management.port} once it has started.
   */
  static RequestMatcher onTheManagementPort(Environment environment, String path) {
    return request -> {
      // The path first: the authorization rules ask this matcher on every request, and two
      // Environment lookups per request were 3 % of Parley's CPU on the message path.
      if (!path.equals(request.getRequestURI())) {
        return false;
      }
      Integer managementPort = environment.getProperty("local.management.port", Integer.class);
      Integer serverPort = environment.getProperty("local.server.port", Integer.class);
      // Without a port of its own, Boot aliases local.management.port to the server's port.
      return managementPort != null
          && managementPort > 0
          && !managementPort.equals(serverPort)
          && request.getLocalPort() == managementPort;
    };
  }

  /**
   * The {@code requestMatchers(String...)} above build path-pattern matchers (Spring Security 6.5's
   * opt-in, the default in 7) instead of MVC matchers, which asked Spring MVC's handler mappings on
   * every request.
   */
  @Bean
  public static PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatchers() {
    return new PathPatternRequestMatcherBuilderFactoryBean();
  }

  /**
   * Spring Security's strict firewall with its default rules but one: a header value may hold any
   * byte of RFC 9110's field-value grammar (visible ASCII, space, tab and obs-text 0x80–0xFF).
   * Tomcat decodes header bytes as ISO-8859-1, so UTF-8 text in a header (an emoji, U+202E, U+0085)
   * arrives as characters U+0080–U+00FF, some of which the default rule takes for control
   * characters; and the firewall checks a header only when something reads it, so such a request
   * failed wherever that happened — inside Spring MVC, as a 500. Controls below 0x20 (but tab) and
   * DEL stay refused (Tomcat refuses them before this).
   */
  /**
   * No Micrometer observation per security filter, authentication and authorization: Spring
   * Security wraps every filter of the chain in one otherwise, which was about 3 % of Parley's CPU
   * per message (docs/benchmarks.md, issue 11). Requests are still observed as a whole ({@code
   * http.server.requests}).
   */
  @Bean
  public SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  @Bean
  public StrictHttpFirewall httpFirewall() {
    StrictHttpFirewall firewall = new StrictHttpFirewall();
    firewall.setAllowedHeaderValues(SecurityConfig::isFieldValue);
    return firewall;
  }

  static boolean isFieldValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean visibleOrSpace = c >= 0x20 && c < 0x7F;
      boolean obsText = c >= 0x80 && c <= 0xFF;
      if (!visibleOrSpace && !obsText && c != '\t') {
        return false;
      }
    }
    return true;
  }

  /**
   * Requests the firewall rejects at the chain's entrance (encoded dots, {@code ;}, {@code //}, an
   * unknown method …) answer the problem of {@code ProblemDetailsAdvice}, as do those it rejects
   * later, when a header or parameter name is read.
   */
  @Bean
  public RequestRejectedHandler requestRejectedHandler(ProblemResponses problems) {
    return problems::answer;
  }

  /** Authorities from the {@code roles} claim, which {@link #tokenValidator} has checked. */
  static JwtAuthenticationConverter jwtAuthenticationConverter() {
    JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
    converter.setJwtGrantedAuthoritiesConverter(
        jwt -> {
          List<String> roles = roles(jwt);
          if (roles == null) { // only if a decoder ran without tokenValidator
            throw new InvalidBearerTokenException("roles must be an array of strings");
          }
          return roles.stream()
              .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role))
              .toList();
        });
    return converter;
  }

  /**
   * The checks of both modes, on every use of a token (CachingJwtDecoder): a signature is not
   * enough. The token must carry {@code exp} (and not be expired or before {@code nbf}), come from
   * {@code issuer}, name one of {@code audiences} in {@code aud} when any are configured, name a
   * valid Parley user id in {@code sub}, and carry {@code roles} as an array of strings.
   */
  static OAuth2TokenValidator<Jwt> tokenValidator(String issuer, Collection<String> audiences) {
    List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
    checks.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
    checks.add(new JwtIssuerValidator(issuer));
    if (audiences != null && !audiences.isEmpty()) {
      Set<String> accepted = Set.copyOf(audiences);
      checks.add(
          new JwtClaimValidator<List<String>>(
              JwtClaimNames.AUD, aud -> aud != null && aud.stream().anyMatch(accepted::contains)));
    }
    checks.add(
        jwt ->
            ConversationLimits.isValidUserId(jwt.getSubject())
                ? OAuth2TokenValidatorResult.success()
                : invalid("sub must be 1..64 characters of [A-Za-z0-9._@-]"));
    checks.add(
        jwt ->
            roles(jwt) != null
                ? OAuth2TokenValidatorResult.success()
                : invalid("roles must be an array of strings"));
    return JwtValidators.createDefaultWithValidators(checks);
  }

  /**
   * The {@code roles} claim if it is a JSON array of strings, else null (absent, a string — not
   * split on spaces — a number, an object, or an array holding anything but strings).
   */
  static List<String> roles(Jwt jwt) {
    if (!(jwt.getClaims().get(ROLES_CLAIM) instanceof Collection<?> claim)) {
      return null;
    }
    List<String> roles = new ArrayList<>(claim.size());
    for (Object role : claim) {
      if (!(role instanceof String name)) {
        return null;
      }
      roles.add(name);
    }
    return roles;
  }

  private static OAuth2TokenValidatorResult invalid(String description) {
    return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
  }
}
