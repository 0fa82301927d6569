package io.parley.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.error.ConflictException;
import io.parley.api.error.ForbiddenException;
import io.parley.api.error.GoneException;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.NotFoundException;
import io.parley.api.error.ParleyException;
import io.parley.api.error.RuleViolationException;
import io.parley.infra.privacy.DataKeyUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.axonframework.commandhandling.CommandExecutionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * The one mapping of failures to problem responses: a database that is down or out of connections
 * answers 503 with Retry-After, never 500; security failures answer 401/403/400 wherever they are
 * raised; no detail quotes the request.
 */
class ProblemDetailsAdviceTest {

  final ProblemDetailsAdvice advice = new ProblemDetailsAdvice();
  final ServletWebRequest request = new ServletWebRequest(new MockHttpServletRequest());

  @Test
  void everyFormOfADownDatabaseIs503WithRetryAfter() throws Exception {
    for (Exception down :
        new Exception[] {
          new CannotCreateTransactionException(
              "no connection", new SQLTransientConnectionException("pool exhausted")),
          new CompletionException(new RuntimeException(new SQLException("refused", "08001"))),
          new IllegalStateException(new DataKeyUnavailableException("master key missing"))
        }) {
      ResponseEntity<Object> response = advice.handleAny(down, request);
      assertThat(response.getStatusCode().value()).as(down.toString()).isEqualTo(503);
      assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
      assertThat(((ProblemDetail) response.getBody()).getDetail())
          .doesNotContain("refused")
          .doesNotContain("master key");
    }
  }

  @Test
  void eachDomainRefusalAnswersItsStatus_evenWrappedByAxon() {
    Map<ParleyException, Integer> refusals =
        Map.of(
            new InvalidInputException("text", "too long"), 400,
            new ForbiddenException("not a participant"), 403,
            new NotFoundException("no such conversation"), 404,
            new ConflictException("not PENDING"), 409,
            new GoneException("erased"), 410,
            new RuleViolationException("the conversation is full"), 422);
    refusals.forEach(
        (refusal, status) -> {
          assertThat(advice.problemFor(refusal, request).getStatusCode().value())
              .as(refusal.getClass().getSimpleName())
              .isEqualTo(status);
          assertThat(
                  advice
                      .problemFor(new CommandExecutionException("wrapped", refusal), request)
                      .getStatusCode()
                      .value())
              .as("wrapped " + refusal.getClass().getSimpleName())
              .isEqualTo(status);
        });
  }

  @Test
  void anUnexpectedFailureIs500WithoutItsMessage() throws Exception {
    ResponseEntity<Object> response =
        advice.handleAny(new IllegalArgumentException("SELECT secret FROM somewhere"), request);
    assertThat(response.getStatusCode().value()).isEqualTo(500);
    assertThat(((ProblemDetail) response.getBody()).getDetail()).doesNotContain("secret");
  }

  @Test
  void securityFailuresAnswerTheirStatus_whereverTheyAreRaised() {
    ResponseEntity<Object> unauthorized =
        advice.problemFor(new BadCredentialsException("token of alice"), request);
    assertThat(unauthorized.getStatusCode().value()).isEqualTo(401);
    assertThat(unauthorized.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
        .isEqualTo("Bearer");
    assertThat(advice.problemFor(new AccessDeniedException("no"), request).getStatusCode().value())
        .isEqualTo(403);
    ResponseEntity<Object> rejected =
        advice.problemFor(
            new RequestRejectedException("The request was rejected because the header value \"x\""),
            request);
    assertThat(rejected.getStatusCode().value()).isEqualTo(400);
    assertThat(((ProblemDetail) rejected.getBody()).getDetail()).doesNotContain("header value");
  }

  @Test
  void springMvcsOwnDetails_doNotQuoteTheRequest() {
    ResponseEntity<Object> method =
        advice.handleAny(
            new HttpRequestMethodNotSupportedException("BREW", List.of("GET")), request);
    assertThat(method.getStatusCode().value()).isEqualTo(405);
    assertThat(((ProblemDetail) method.getBody()).getDetail()).doesNotContain("BREW");
    ResponseEntity<Object> type =
        advice.handleAny(
            new HttpMediaTypeNotSupportedException(
                MediaType.parseMediaType("text/secret"), List.of(MediaType.APPLICATION_JSON)),
            request);
    assertThat(type.getStatusCode().value()).isEqualTo(415);
    assertThat(((ProblemDetail) type.getBody()).getDetail()).doesNotContain("secret");
  }
}
