package io.parley.infra.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id — the client's {@code X-Request-Id} when it is well-formed, else a new
 * one — echoes it on the response, and keeps it in the MDC for logs and command metadata. Runs
 * before security so that 401s carry it too, and on an error dispatch of a request that never went
 * through the filters (Tomcat refused it after parsing, as it does TRACE) so that its error carries
 * one as well.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

  @Override
  protected boolean shouldNotFilterErrorDispatch() {
    return false; // an error dispatch of a request already filtered is still skipped (once)
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String supplied = request.getHeader(RequestCorrelation.HEADER);
    String requestId =
        supplied != null && RequestCorrelation.ACCEPTABLE_ID.matcher(supplied).matches()
            ? supplied
            : UUID.randomUUID().toString();
    response.setHeader(RequestCorrelation.HEADER, requestId);
    MDC.put(RequestCorrelation.MDC_KEY, requestId);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(RequestCorrelation.MDC_KEY);
    }
  }
}
