package io.parley.infra.web;

import io.parley.infra.Causes;
import io.parley.infra.ParleyProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 413 for request bodies over {@code parley.max-request-body}: at once when the declared
 * Content-Length is too large, and while reading when a chunked body grows past the limit — read by
 * Spring MVC (its advice answers) or by a filter after this one, such as Spring's {@code
 * FormContentFilter} parsing a form-encoded PUT (answered here).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class RequestBodyLimitFilter extends OncePerRequestFilter {

  private final long limit;
  private final ProblemResponses problems;

  public RequestBodyLimitFilter(ParleyProperties properties, ProblemResponses problems) {
    this.limit = properties.maxRequestBody().toBytes();
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > limit) {
      problems.answer(request, response, new BodyTooLargeException(limit));
      return;
    }
    try {
      chain.doFilter(new LimitedRequest(request, limit), response);
    } catch (IOException | ServletException | RuntimeException failure) {
      Throwable tooLarge =
          Causes.find(failure, BodyTooLargeException.class::isInstance).orElse(null);
      if (tooLarge == null || response.isCommitted()) {
        throw failure;
      }
      response.resetBuffer(); // keeps the headers set so far (X-Request-Id)
      problems.answer(request, response, tooLarge);
    }
  }

  /** Thrown while reading a body past the limit; mapped to 413 by {@link ProblemDetailsAdvice}. */
  public static class BodyTooLargeException extends IOException {
    BodyTooLargeException(long limit) {
      super("The request body exceeds " + limit + " bytes");
    }
  }

  private static final class LimitedRequest extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    LimitedRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedInputStream(super.getInputStream(), limit);
      }
      return stream;
    }
  }

  private static final class LimitedInputStream extends ServletInputStream {
    private final ServletInputStream delegate;
    private final long limit;
    private long read;

    LimitedInputStream(ServletInputStream delegate, long limit) {
      this.delegate = delegate;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = delegate.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = delegate.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws IOException {
      read += n;
      if (read > limit) {
        throw new BodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return delegate.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      delegate.setReadListener(listener);
    }
  }
}
