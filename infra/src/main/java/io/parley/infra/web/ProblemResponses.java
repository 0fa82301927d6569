package io.parley.infra.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

/**
 * Builds RFC 9457 problem documents the same way everywhere: in the MVC exception advice, and in
 * servlet filters and security handlers that answer before MVC runs.
 */
@Component
public class ProblemResponses {

  private static final String TYPE_PREFIX = "urn:parley:problem:";

  private final ObjectMapper objectMapper;

  public ProblemResponses(ObjectMapper objectMapper) {
    this.objectMapper = objectMapper;
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

  public void write(
      HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    ProblemDetail problem = problem(status, detail);
    problem.setInstance(URI.create(request.getRequestURI()));
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    objectMapper.writeValue(response.getOutputStream(), problem);
  }
}
