package io.parley.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Builds RFC 9457 problem documents the same way everywhere: in the MVC exception advice, and in
 * servlet filters, security handlers and the error controller that answer outside MVC — those with
 * the advice's own mapping of failures to statuses ({@link #answer}).
 */
@Component
public class ProblemResponses {

  private static final String TYPE_PREFIX = "urn:parley:problem:";

  private final ObjectMapper objectMapper;
  private final ProblemDetailsAdvice mapping;

  public ProblemResponses(ObjectMapper objectMapper, ProblemDetailsAdvice mapping) {
    this.objectMapper = objectMapper;
    this.mapping = mapping;
  }

  /** A problem with Parley's {@code type} for the status and the given client-safe detail. */
  public static ProblemDetail problem(HttpStatusCode status, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    decorate(problem);
    return problem;
  }

  /** Gives any problem Parley's {@code type} and a standard {@code title}. */
  public static void decorate(ProblemDetail problem) {
    HttpStatus status = HttpStatus.resolve(problem.getStatus());
    String slug = status == null ? "error" : slug(status);
    if (problem.getType() == null || URI.create("about:blank").equals(problem.getType())) {
      problem.setType(URI.create(TYPE_PREFIX + slug));
    }
    if (problem.getTitle() == null && status != null) {
      problem.setTitle(status.getReasonPhrase());
    }
    if (problem.getDetail() == null && status != null) {
      problem.setDetail(status.getReasonPhrase());
    }
  }

  private static String slug(HttpStatus status) {
    return status.name().toLowerCase().replace('_', '-');
  }

  /** Answers {@code failure} as {@link ProblemDetailsAdvice} would inside Spring MVC. */
  public void answer(HttpServletRequest request, HttpServletResponse response, Throwable failure)
      throws IOException {
    write(request, response, mapping.problemFor(failure, new ServletWebRequest(request, response)));
  }

  /** Writes a response built by the advice (status, headers, problem body). */
  public void write(
      HttpServletRequest request, HttpServletResponse response, ResponseEntity<?> problem)
      throws IOException {
    response.setStatus(problem.getStatusCode().value());
    problem
        .getHeaders()
        .forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    Object body = problem.getBody();
    if (body instanceof ProblemDetail detail && detail.getInstance() == null) {
      detail.setInstance(instance(request));
    }
    objectMapper.writeValue(response.getOutputStream(), body);
  }

  /** The path the client asked for (on an error dispatch, not {@code /error}), or null. */
  static URI instance(HttpServletRequest request) {
    Object original = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    try {
      return URI.create(original instanceof String path ? path : request.getRequestURI());
    } catch (IllegalArgumentException notAUri) {
      return null;
    }
  }
}
