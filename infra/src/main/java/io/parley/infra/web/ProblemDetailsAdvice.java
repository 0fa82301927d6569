package io.parley.infra.web;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.parley.api.error.ConflictException;
import io.parley.api.error.ForbiddenException;
import io.parley.api.error.GoneException;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.InvalidInputException.FieldProblem;
import io.parley.api.error.NotFoundException;
import io.parley.api.error.ParleyException;
import io.parley.api.error.RateLimitedException;
import io.parley.api.error.RuleViolationException;
import io.parley.infra.Causes;
import io.parley.infra.database.DatabaseUnavailable;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error as an {@code application/problem+json} document (API.md "Conventions"). Details are
 * written for clients: no stack traces, class names, SQL, or anything the client sent.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  /** Seconds a client should wait when a dependency (the database) is down. */
  static final String RETRY_AFTER_SECONDS = "5";

  @ExceptionHandler(Exception.class)
  ResponseEntity<Object> handleAny(Exception exception, WebRequest request) {
    return problemFor(exception, request);
  }

  /**
   * The one mapping of failures to problem responses: for exceptions in Spring MVC (above), and for
   * those answered outside it — by the security filter chain (401, 403, a request the firewall
   * rejects), by a filter, or forwarded by the servlet container to {@code /error}.
   */
  public ResponseEntity<Object> problemFor(Throwable failure, WebRequest request) {
    Throwable cause = domainCause(failure);
    if (cause instanceof InvalidInputException invalid) {
      return respond(HttpStatus.BAD_REQUEST, invalid.getMessage(), invalid.problems());
    }
    if (cause instanceof ForbiddenException) {
      return respond(HttpStatus.FORBIDDEN, cause.getMessage(), null);
    }
    if (cause instanceof NotFoundException) {
      return respond(HttpStatus.NOT_FOUND, cause.getMessage(), null);
    }
    if (cause instanceof GoneException) {
      return respond(HttpStatus.GONE, cause.getMessage(), null);
    }
    if (cause instanceof ConflictException) {
      return respond(HttpStatus.CONFLICT, cause.getMessage(), null);
    }
    if (cause instanceof RuleViolationException) {
      return respond(HttpStatus.UNPROCESSABLE_ENTITY, cause.getMessage(), null);
    }
    if (cause instanceof RateLimitedException limited) {
      return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
          .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfter().toSeconds()))
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS, limited.getMessage()));
    }
    if (cause instanceof AggregateNotFoundException) {
      return respond(HttpStatus.NOT_FOUND, "No such resource", null);
    }
    if (cause instanceof AggregateStreamCreationException) {
      return respond(HttpStatus.CONFLICT, "The resource already exists", null);
    }
    if (cause instanceof ConcurrencyException) {
      return respond(
          HttpStatus.CONFLICT, "A concurrent change could not be reconciled; retry", null);
    }
    if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException) {
      return respond(HttpStatus.PAYLOAD_TOO_LARGE, cause.getMessage(), null);
    }
    if (cause instanceof RequestRejectedException) {
      // Spring Security's firewall: at the chain's entrance (the URL, the method) or later, when
      // something reads a header or parameter name it does not allow.
      return respond(
          HttpStatus.BAD_REQUEST,
          "The request's method, URL, a header or a parameter name is not allowed",
          null);
    }
    if (cause instanceof AuthenticationException) {
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
          .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(
              ProblemResponses.problem(
                  HttpStatus.UNAUTHORIZED, "A valid bearer token is required"));
    }
    if (cause instanceof AccessDeniedException) {
      return respond(HttpStatus.FORBIDDEN, "The token lacks the role this requires", null);
    }
    if (isDependencyDown(cause)) {
      log.warn("Database unavailable: {}", cause.getClass().getSimpleName());
      ProblemDetail problem =
          ProblemResponses.problem(
              HttpStatus.SERVICE_UNAVAILABLE, "A dependency is unavailable; retry later");
      return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
          .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(problem);
    }
    if (failure instanceof org.springframework.web.ErrorResponse
        || failure instanceof HttpRequestMethodNotSupportedException
        // also outside MVC: Spring's FormContentFilter reads a form body of a PUT before MVC
        || failure instanceof HttpMessageNotReadableException) {
      try {
        return handleException((Exception) failure, request); // Spring MVC's own exceptions
      } catch (Exception notSpringMvcs) {
        // an ErrorResponse that ResponseEntityExceptionHandler does not know: a bug, below
      }
    }
    log.error("Unhandled failure answering a request: {}", SafeThrowables.describe(failure));
    return respond(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred", null);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException exception,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    List<FieldProblem> problems =
        exception.getBindingResult().getFieldErrors().stream()
            .map(
                (FieldError error) ->
                    new FieldProblem(
                        error.getField(),
                        error.getRejectedValue() == null
                            ? "is required"
                            : String.valueOf(error.getDefaultMessage())))
            .toList();
    return respond(HttpStatus.BAD_REQUEST, "The request is invalid", problems);
  }

  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException exception,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Throwable cause = exception.getCause();
    if (cause instanceof RequestBodyLimitFilter.BodyTooLargeException) {
      return respond(HttpStatus.PAYLOAD_TOO_LARGE, cause.getMessage(), null);
    }
    if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      String field = fieldPath(mismatch);
      String expected =
          mismatch.getTargetType() == null
              ? "a different type"
              : describe(mismatch.getTargetType());
      return respond(
          HttpStatus.BAD_REQUEST,
          "The request body does not match the expected types",
          List.of(new FieldProblem(field, "must be " + expected)));
    }
    if (cause instanceof com.fasterxml.jackson.core.JacksonException) {
      // Malformed JSON, including a key repeated in one object (JacksonConfig).
      return respond(HttpStatus.BAD_REQUEST, "The request body is not valid JSON", null);
    }
    // Any other body that does not decode, e.g. a form body with a bad %-escape on a PUT.
    return respond(HttpStatus.BAD_REQUEST, "The request body is malformed", null);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception exception,
      @Nullable Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    if (exception instanceof MethodArgumentTypeMismatchException mismatch) {
      return respond(
          HttpStatus.BAD_REQUEST,
          "A path or query parameter is malformed",
          List.of(new FieldProblem(mismatch.getName(), "is malformed")));
    }
    ResponseEntity<Object> response =
        super.handleExceptionInternal(exception, body, headers, statusCode, request);
    if (response != null && response.getBody() instanceof ProblemDetail problem) {
      String detail = detailWithoutClientInput(exception);
      if (detail != null) {
        problem.setDetail(detail);
      }
      ProblemResponses.decorate(problem);
      return ResponseEntity.status(response.getStatusCode())
          .headers(response.getHeaders())
          .contentType(MediaType.APPLICATION_PROBLEM_JSON)
          .body(problem);
    }
    return response;
  }

  /**
   * Spring's own details for these quote the client's method, Content-Type or path; ours do not.
   * Null keeps Spring's detail (those name only Parley's parameters, headers or media types).
   */
  private static @Nullable String detailWithoutClientInput(Exception exception) {
    if (exception instanceof HttpRequestMethodNotSupportedException) {
      return "The method is not allowed on this resource (see the Allow header)";
    }
    if (exception instanceof HttpMediaTypeNotSupportedException) {
      return "The Content-Type is not supported here: send application/json";
    }
    if (exception instanceof NoResourceFoundException
        || exception instanceof NoHandlerFoundException) {
      return "No such resource";
    }
    return null;
  }

  private static ResponseEntity<Object> respond(
      HttpStatus status, String detail, @Nullable List<FieldProblem> fieldProblems) {
    ProblemDetail problem = ProblemResponses.problem(status, detail);
    if (fieldProblems != null && !fieldProblems.isEmpty()) {
      problem.setProperty(
          "errors",
          fieldProblems.stream()
              .map(p -> Map.of("field", p.field(), "message", p.message()))
              .collect(Collectors.toList()));
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  /** The first domain-relevant exception in the chain (Axon and futures wrap handler failures). */
  private static Throwable domainCause(Throwable failure) {
    return Causes.find(
            failure,
            t ->
                t instanceof ParleyException
                    || t instanceof AggregateNotFoundException
                    || t instanceof AggregateStreamCreationException
                    || t instanceof ConcurrencyException
                    || t instanceof RequestBodyLimitFilter.BodyTooLargeException
                    || isDependencyDown(t))
        .orElse(failure);
  }

  /**
   * The database (or the key store in it) is unavailable: 503 with Retry-After ({@link
   * DatabaseUnavailable} says which failures count).
   */
  static boolean isDependencyDown(Throwable t) {
    return DatabaseUnavailable.isUnavailable(t)
        || t instanceof io.parley.infra.privacy.DataKeyUnavailableException;
  }

  private static String fieldPath(JsonMappingException exception) {
    return exception.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String describe(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (type.isEnum()) {
      return "one of the documented values";
    }
    return "an object";
  }
}
