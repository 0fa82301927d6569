package io.parley.infra.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Errors that never reach MVC's exception handling — the servlet container forwards them to {@code
 * /error} — also answer a problem document, without Boot's default fields: a failure that escaped a
 * filter is mapped as {@link ProblemDetailsAdvice} maps it, a bare status keeps its status. Asked
 * for directly, {@code /error} is no resource (404), and not in the OpenAPI document.
 */
@Hidden
@RestController
public class ProblemErrorController implements ErrorController {

  private final ProblemDetailsAdvice mapping;

  public ProblemErrorController(ProblemDetailsAdvice mapping) {
    this.mapping = mapping;
  }

  @RequestMapping("/error")
  public ResponseEntity<Object> error(HttpServletRequest request, HttpServletResponse response) {
    if (request.getDispatcherType() != DispatcherType.ERROR) {
      return respond(HttpStatus.NOT_FOUND, "No such resource");
    }
    ResponseEntity<Object> answer;
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
      answer = mapping.problemFor(failure, new ServletWebRequest(request, response));
    } else {
      Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
      HttpStatus status =
          code instanceof Integer value && HttpStatus.resolve(value) != null
              ? HttpStatus.valueOf(value)
              : HttpStatus.INTERNAL_SERVER_ERROR;
      answer = respond(status, status.getReasonPhrase());
    }
    if (answer.getBody() instanceof ProblemDetail problem && problem.getInstance() == null) {
      problem.setInstance(ProblemResponses.instance(request)); // the client's path, not /error
    }
    return answer;
  }

  private static ResponseEntity<Object> respond(HttpStatus status, String detail) {
    ProblemDetail problem = ProblemResponses.problem(status, detail);
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
