package io.parley.infra.moderation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.moderation.ToxicityScores;
import io.parley.command.moderation.ToxicityAssessment;
import io.parley.command.moderation.ToxicityScorer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores text with Google's Perspective API ({@code comments:analyze}: toxicity, severe toxicity,
 * insult, threat; {@code doNotStore}), and answers with the {@code fallback} scorer's assessment,
 * marked {@code perspective:<reason>}, whenever Perspective does not answer usably. Never throws.
 *
 * <p>Resilience, from the outside in:
 *
 * <ul>
 *   <li>A <b>circuit breaker</b> judges whole scorings (all their attempts), so a blip the retry
 *       absorbed does not bring the circuit closer to opening. Timeouts, I/O errors, 429, 5xx,
 *       malformed answers, and 401/403 (a wrong or revoked key, the API not enabled: every call
 *       would fail alike) are failures. Other 4xx, such as 400 {@code LANGUAGE_NOT_SUPPORTED}, are
 *       about the text, not about Perspective's health: they neither open nor help close the
 *       circuit (ignored).
 *   <li>A <b>retry</b> with exponential backoff repeats an attempt after a timeout, an I/O error, a
 *       429 or a 5xx; never after any other 4xx or a malformed answer, which would only repeat.
 *   <li>Each <b>attempt</b> is bounded by {@code timeout}, from connecting to the response's last
 *       byte. A scoring therefore takes at most {@code maxAttempts × timeout} plus the backoffs
 *       (6.6 s with the defaults), and nothing while the circuit is open.
 * </ul>
 *
 * <p>Neither the text (personal data) nor the API key is ever logged or put in an exception
 * message; the key travels in a header, never in the URL. The log has one line per circuit state
 * change, not one per call; per-call outcomes are in the fallback reason and the {@code
 * resilience4j.*} metrics (tag {@code name=perspective}). Thread-safe.
 */
public final class PerspectiveToxicityScorer implements ToxicityScorer {

  public static final String NAME = "perspective";

  private static final Logger log = LoggerFactory.getLogger(PerspectiveToxicityScorer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> ATTRIBUTES =
      List.of("TOXICITY", "SEVERE_TOXICITY", "INSULT", "THREAT");

  private final ToxicityScorer fallback;
  private final HttpClient http;
  private final URI url;
  private final String apiKey;
  private final Duration timeout;
  private final CircuitBreaker circuitBreaker;
  private final Retry retry;
  private volatile Reason lastFailure;

  public PerspectiveToxicityScorer(
      PerspectiveProperties properties, ToxicityScorer fallback, MeterRegistry registry) {
    if (properties.apiKey() == null || properties.apiKey().isBlank()) {
      throw new IllegalArgumentException("parley.moderation.perspective.api-key is not set");
    }
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.apiKey = properties.apiKey().strip();
    this.url = requireHttp(properties.url());
    this.timeout = requirePositive(properties.timeout());
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.circuitBreaker = circuitBreaker(properties.circuitBreaker(), registry);
    this.retry = retry(properties.retry(), registry);
  }

  @Override
  public ToxicityAssessment score(String text) {
    try {
      return ToxicityAssessment.by(NAME, circuitBreaker.executeSupplier(attempts(text)));
    } catch (PerspectiveFailure failure) {
      return fallback(text, failure.reason);
    } catch (CallNotPermittedException open) {
      return fallback(text, Reason.CIRCUIT_OPEN);
    } catch (RuntimeException unexpected) {
      // A defect rather than Perspective's doing; its message could quote anything, so only the
      // class is logged. Recorded by the circuit, so a repeating defect is logged a few times only.
      log.warn(
          "Perspective scoring failed unexpectedly ({}); using the fallback scorer",
          unexpected.getClass().getName());
      return fallback(text, Reason.IO_ERROR);
    }
  }

  private ToxicityAssessment fallback(String text, Reason reason) {
    return fallback.score(text).asFallback(NAME + ":" + reason.code);
  }

  private Supplier<ToxicityScores> attempts(String text) {
    byte[] body = requestBody(text);
    return Retry.decorateSupplier(retry, () -> attempt(body));
  }

  private ToxicityScores attempt(byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("X-goog-api-key", apiKey)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    CompletableFuture<HttpResponse<byte[]>> pending =
        http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      // The request timeout stops at the response headers; this bounds the body too.
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw PerspectiveFailure.transientFailure(Reason.TIMEOUT);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof HttpTimeoutException
          ? PerspectiveFailure.transientFailure(Reason.TIMEOUT)
          : PerspectiveFailure.transientFailure(Reason.IO_ERROR);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw PerspectiveFailure.interrupted();
    }
    return interpret(response.statusCode(), response.body());
  }

  private static ToxicityScores interpret(int status, byte[] body) {
    if (status == 429) {
      throw PerspectiveFailure.transientFailure(Reason.HTTP_429);
    }
    if (status >= 500 && status <= 599) {
      throw PerspectiveFailure.transientFailure(Reason.HTTP_5XX);
    }
    if (status >= 400 && status <= 499) {
      throw PerspectiveFailure.rejected(status);
    }
    if (status < 200 || status > 299) {
      throw PerspectiveFailure.malformed();
    }
    return scores(body);
  }

  /** The four summary scores; anything else than a number for each is a malformed answer. */
  private static ToxicityScores scores(byte[] body) {
    JsonNode attributeScores;
    try {
      attributeScores = JSON.readTree(body).path("attributeScores");
    } catch (IOException | RuntimeException e) {
      throw PerspectiveFailure.malformed();
    }
    double[] values = new double[ATTRIBUTES.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = attributeScores.path(ATTRIBUTES.get(i)).path("summaryScore").path("value");
      if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
        throw PerspectiveFailure.malformed();
      }
      values[i] = value.doubleValue();
    }
    return ToxicityScores.of(values[0], values[1], values[2], values[3]);
  }

  private static byte[] requestBody(String text) {
    ObjectNode request = JSON.createObjectNode();
    request.putObject("comment").put("text", text);
    ObjectNode requested = request.putObject("requestedAttributes");
    ATTRIBUTES.forEach(requested::putObject);
    request.put("doNotStore", true);
    try {
      return JSON.writeValueAsBytes(request);
    } catch (IOException e) {
      throw new IllegalStateException("Could not write a Perspective request", null);
    }
  }

  private CircuitBreaker circuitBreaker(
      PerspectiveProperties.CircuitBreakerSettings settings, MeterRegistry meters) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.slidingWindowSize())
            .minimumNumberOfCalls(settings.minimumCalls())
            .failureRateThreshold(settings.failureRateThreshold())
            .waitDurationInOpenState(settings.waitInOpenState())
            // Anything unexpected counts too: a defect that repeats should stop the calls (and
            // their log lines) like an outage does.
            .recordException(e -> !(e instanceof PerspectiveFailure f) || f.opensCircuit)
            .ignoreException(e -> e instanceof PerspectiveFailure f && !f.opensCircuit)
            .build();
    CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
    CircuitBreaker breaker = registry.circuitBreaker(NAME);
    breaker.getEventPublisher().onError(event -> remember(event.getThrowable()));
    breaker
        .getEventPublisher()
        .onStateTransition(
            event -> {
              CircuitBreaker.State from = event.getStateTransition().getFromState();
              CircuitBreaker.State to = event.getStateTransition().getToState();
              if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                Reason last = lastFailure;
                log.warn(
                    "Perspective circuit {} -> {} (last failure: {}): scoring with the fallback"
                        + " scorer for now",
                    from,
                    to,
                    last == null ? "none" : last.code);
              } else {
                log.info("Perspective circuit {} -> {}", from, to);
              }
            });
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
    return breaker;
  }

  private void remember(Throwable failure) {
    lastFailure = failure instanceof PerspectiveFailure f ? f.reason : Reason.IO_ERROR;
  }

  private static Retry retry(PerspectiveProperties.RetrySettings settings, MeterRegistry meters) {
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(settings.maxAttempts())
            .intervalFunction(
                IntervalFunction.ofExponentialBackoff(
                    settings.initialBackoff(), settings.multiplier()))
            .retryOnException(e -> e instanceof PerspectiveFailure f && f.retryable)
            .build();
    RetryRegistry registry = RetryRegistry.of(config);
    TaggedRetryMetrics.ofRetryRegistry(registry).bindTo(meters);
    return registry.retry(NAME);
  }

  private static URI requireHttp(URI url) {
    if (url == null || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
      throw new IllegalArgumentException(
          "parley.moderation.perspective.url must be an http(s) URL");
    }
    return url;
  }

  private static Duration requirePositive(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("parley.moderation.perspective.timeout must be positive");
    }
    return timeout;
  }

  /** The fallback reasons: a fixed set, as they become metric tags. */
  enum Reason {
    TIMEOUT("timeout"),
    IO_ERROR("io-error"),
    HTTP_429("http-429"),
    HTTP_5XX("http-5xx"),
    HTTP_4XX("http-4xx"),
    MALFORMED_RESPONSE("malformed-response"),
    CIRCUIT_OPEN("circuit-open");

    final String code;

    Reason(String code) {
      this.code = code;
    }
  }

  /**
   * Why one attempt failed, and what that means for the retry and the circuit. Its message is the
   * reason alone; no stack trace (the reason says it all, and they are frequent when Perspective is
   * down).
   */
  static final class PerspectiveFailure extends RuntimeException {

    final Reason reason;
    final boolean retryable;
    final boolean opensCircuit;

    private PerspectiveFailure(Reason reason, boolean retryable, boolean opensCircuit) {
      super(reason.code, null, false, false);
      this.reason = reason;
      this.retryable = retryable;
      this.opensCircuit = opensCircuit;
    }

    /** Timeout, I/O error, 429, 5xx: may pass, so retried; counts against the circuit. */
    static PerspectiveFailure transientFailure(Reason reason) {
      return new PerspectiveFailure(reason, true, true);
    }

    /** An answer that is not a scoring: asking again would get the same. */
    static PerspectiveFailure malformed() {
      return new PerspectiveFailure(Reason.MALFORMED_RESPONSE, false, true);
    }

    /**
     * A 4xx other than 429. 401 and 403 (key wrong or revoked, API not enabled) fail every call
     * alike, so they count against the circuit; the rest (400 {@code LANGUAGE_NOT_SUPPORTED}, a
     * text too long…) is about this text only.
     */
    static PerspectiveFailure rejected(int status) {
      return new PerspectiveFailure(Reason.HTTP_4XX, false, status == 401 || status == 403);
    }

    /** The calling thread was interrupted (shutdown): neither retried nor Perspective's fault. */
    static PerspectiveFailure interrupted() {
      return new PerspectiveFailure(Reason.IO_ERROR, false, false);
    }
  }
}
