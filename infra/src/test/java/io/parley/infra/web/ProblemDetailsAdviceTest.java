package io.parley.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.privacy.DataKeyUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.context.request.ServletWebRequest;

/** A database that is down or out of connections answers 503 with Retry-After, never 500. */
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
  void anUnexpectedFailureIs500WithoutItsMessage() throws Exception {
    ResponseEntity<Object> response =
        advice.handleAny(new IllegalArgumentException("SELECT secret FROM somewhere"), request);
    assertThat(response.getStatusCode().value()).isEqualTo(500);
    assertThat(((ProblemDetail) response.getBody()).getDetail()).doesNotContain("secret");
  }
}
