package io.parley.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

/**
 * Tomcat's last word on an error, as a problem document instead of its HTML page. It speaks for the
 * requests Tomcat refuses before any filter or servlet runs: a malformed request line or URL
 * ({@code %00}, {@code %2f}, {@code %5c}, an invalid escape, {@code [} in the query), too many or
 * too large headers, a control character in a header, a missing Host, an invalid or repeated
 * Content-Length. Anything the application answered itself has a body already and is left alone.
 *
 * <p>The detail is fixed per status and never quotes the request (which may be anything). Tomcat's
 * protocol-level 501 (an unknown Transfer-Encoding) and 505 (an HTTP version other than 1.x) are
 * answered 400: API.md reserves 5xx for Parley's own failures, and to a client both mean "this
 * request is malformed".
 */
public class ProblemErrorReportValve extends ErrorReportValve {

  private final ObjectMapper objectMapper;

  /** Tomcat instantiates a host's error report valve by class name if it finds none. */
  public ProblemErrorReportValve() {
    this(Jackson2ObjectMapperBuilder.json().build());
  }

  public ProblemErrorReportValve(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
    setShowReport(false);
    setShowServerInfo(false);
  }

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // The checks of ErrorReportValve.report: an error, nothing written yet, not reported before.
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(false);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return; // the connection is gone: nobody would read it
    }
    if (status == 501 || status == 505) {
      status = 400;
      response.setStatus(status);
    }
    HttpStatus known = HttpStatus.resolve(status);
    ProblemDetail problem =
        known == null
            ? ProblemResponses.problem(HttpStatus.BAD_REQUEST, detail(HttpStatus.BAD_REQUEST))
            : ProblemResponses.problem(known, detail(known));
    problem.setStatus(status);
    try {
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      response.setCharacterEncoding("UTF-8");
      if (response.getHeader(RequestCorrelation.HEADER) == null) {
        response.setHeader(RequestCorrelation.HEADER, UUID.randomUUID().toString());
      }
      if (status == HttpStatus.SERVICE_UNAVAILABLE.value()
          && response.getHeader(HttpHeaders.RETRY_AFTER) == null) {
        response.setHeader(HttpHeaders.RETRY_AFTER, ProblemDetailsAdvice.RETRY_AFTER_SECONDS);
      }
      java.io.Writer writer = response.getReporter();
      if (writer != null) { // null: already committed, which the checks above rule out
        writer.write(objectMapper.writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException unwritable) {
      // the client went away, or the response was committed meanwhile: nothing more to say
    }
  }

  private static String detail(HttpStatus status) {
    return switch (status) {
      case BAD_REQUEST ->
          "The request is malformed: its request line, URL, headers or framing are not valid HTTP";
      case NOT_FOUND -> "No such resource";
      case REQUEST_TIMEOUT -> "The request did not arrive in time";
      case PAYLOAD_TOO_LARGE -> "The request is too large";
      case URI_TOO_LONG -> "The request URL is too long";
      case REQUEST_HEADER_FIELDS_TOO_LARGE -> "The request headers are too large";
      case EXPECTATION_FAILED -> "The Expect header is not supported";
      case SERVICE_UNAVAILABLE -> "The service is unavailable; retry later";
      case INTERNAL_SERVER_ERROR -> "An unexpected error occurred";
      default -> status.getReasonPhrase();
    };
  }
}
