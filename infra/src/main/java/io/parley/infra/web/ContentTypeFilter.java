package io.parley.infra.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A Content-Type is one concrete media type: a wildcard ({@code *}{@code /*}, {@code
 * application/*}) belongs in Accept, and is answered 415 here. Spring's {@code
 * ServletServerHttpRequest.getHeaders()} fails on one (it adds the request's charset and then
 * refuses the wildcard it built, an IllegalArgumentException), so a handler that reads its body
 * without declaring what it consumes — the actuator's — answered 500.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
public class ContentTypeFilter extends OncePerRequestFilter {

  private final ProblemResponses problems;

  public ContentTypeFilter(ProblemResponses problems) {
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String contentType = request.getContentType();
    if (contentType != null && isWildcard(contentType)) {
      problems.answer(
          request,
          response,
          new HttpMediaTypeNotSupportedException(
              "wildcard Content-Type", List.of(MediaType.APPLICATION_JSON)));
      return;
    }
    chain.doFilter(request, response);
  }

  static boolean isWildcard(String contentType) {
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      return type.isWildcardType() || type.isWildcardSubtype();
    } catch (InvalidMediaTypeException unparsable) {
      return false; // Spring MVC answers 415 where a body is read; elsewhere it is not looked at
    }
  }
}
