package io.parley.infra.card.provider;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The external AI card provider ({@code parley.cards.provider.*}): any OpenAI-compatible
 * chat-completions API (OpenAI, a vLLM server, Ollama's OpenAI-compatible API). See
 * docs/runbooks/plug-in-a-card-provider.md.
 *
 * @param name the provider's name, recorded on each card and ledger entry and in metric tags
 * @param baseUrl the API's base URL, up to and including the version ({@code
 *     https://api.openai.com/v1}); {@code chat/completions} is appended. Unset or blank: no
 *     external provider (no writer bean at all)
 * @param model the model asked; required when {@code baseUrl} is set
 * @param apiKey sent as {@code Authorization: Bearer …} only, never logged; unset or blank: no
 *     Authorization header (a local vLLM or Ollama)
 * @param requestsPerMinute the most calls (attempts, retries included) made in any minute, spread
 *     evenly over it
 * @param batchSize the most cards written by one call, 1 to {@value #MAX_BATCH_SIZE}
 * @param batchLinger how long the first pending card waits for others to fill its batch
 * @param timeout the bound of one attempt, from connecting to the last byte of the answer; also how
 *     long an attempt waits for the rate limiter's permit
 * @param maxAttempts attempts per batch, the first one included, at least 1
 * @param initialBackoff the wait before the second attempt; each further wait doubles
 * @param queueCapacity how many cards may wait for a call; beyond, a card is answered {@code
 *     THROTTLED} at once
 * @param circuitBreaker when the provider stops being called for a while
 */
@ConfigurationProperties("parley.cards.provider")
public record CardProviderProperties(
    @DefaultValue("openai") String name,
    String baseUrl,
    String model,
    String apiKey,
    @DefaultValue("60") int requestsPerMinute,
    @DefaultValue("20") int batchSize,
    @DefaultValue("PT0.2S") Duration batchLinger,
    @DefaultValue("PT20S") Duration timeout,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("PT0.5S") Duration initialBackoff,
    @DefaultValue("1000") int queueCapacity,
    @DefaultValue CircuitBreakerSettings circuitBreaker) {

  public static final int MAX_BATCH_SIZE = 50;

  public CardProviderProperties {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("parley.cards.provider.name must not be blank");
    }
    name = name.strip();
    baseUrl = blankToNull(baseUrl);
    model = blankToNull(model);
    apiKey = blankToNull(apiKey);
    if (baseUrl != null) {
      requireHttp(baseUrl);
      if (model == null) {
        throw new IllegalArgumentException(
            "parley.cards.provider.model (PARLEY_CARDS_PROVIDER_MODEL) must be set when"
                + " parley.cards.provider.base-url is set: which model should write the cards?");
      }
    }
    if (requestsPerMinute < 1) {
      throw new IllegalArgumentException(
          "parley.cards.provider.requests-per-minute must be at least 1");
    }
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "parley.cards.provider.batch-size must be between 1 and " + MAX_BATCH_SIZE);
    }
    if (batchLinger == null || batchLinger.isNegative()) {
      throw new IllegalArgumentException("parley.cards.provider.batch-linger must not be negative");
    }
    requirePositive(timeout, "timeout");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("parley.cards.provider.max-attempts must be at least 1");
    }
    requirePositive(initialBackoff, "initial-backoff");
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("parley.cards.provider.queue-capacity must be at least 1");
    }
    if (circuitBreaker == null) {
      circuitBreaker = new CircuitBreakerSettings(50, 10, 5, Duration.ofSeconds(60));
    }
  }

  /** Whether an external provider is configured. */
  public boolean enabled() {
    return baseUrl != null;
  }

  /**
   * A count-based window over the last batches (one batch = all its attempts).
   *
   * @param failureRateThreshold the percentage of failed batches in the window that opens the
   *     circuit
   * @param slidingWindowSize how many of the last batches are judged
   * @param minimumCalls how many batches must be in the window before it is judged
   * @param waitInOpenState how long an open circuit answers {@code CIRCUIT_OPEN} without calling
   *     before it lets one trial call through
   */
  public record CircuitBreakerSettings(
      @DefaultValue("50") float failureRateThreshold,
      @DefaultValue("10") int slidingWindowSize,
      @DefaultValue("5") int minimumCalls,
      @DefaultValue("PT60S") Duration waitInOpenState) {

    public CircuitBreakerSettings {
      if (failureRateThreshold <= 0 || failureRateThreshold > 100) {
        throw new IllegalArgumentException(
            "parley.cards.provider.circuit-breaker.failure-rate-threshold must be in (0, 100]");
      }
      if (slidingWindowSize < 1 || minimumCalls < 1) {
        throw new IllegalArgumentException(
            "parley.cards.provider.circuit-breaker.sliding-window-size and minimum-calls must be"
                + " at least 1");
      }
      requirePositive(waitInOpenState, "circuit-breaker.wait-in-open-state");
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static void requireHttp(String baseUrl) {
    String scheme;
    try {
      scheme = URI.create(baseUrl).getScheme();
    } catch (IllegalArgumentException e) {
      scheme = null;
    }
    if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException(
          "parley.cards.provider.base-url must be an http(s) URL, such as"
              + " https://api.openai.com/v1");
    }
  }

  private static void requirePositive(Duration duration, String key) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("parley.cards.provider." + key + " must be positive");
    }
  }

  /** Keeps the API key out of anything that prints these settings. */
  @Override
  public String toString() {
    return "CardProviderProperties[name="
        + name
        + ", baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", apiKey="
        + (apiKey == null ? "<unset>" : "<set>")
        + ", requestsPerMinute="
        + requestsPerMinute
        + ", batchSize="
        + batchSize
        + ", batchLinger="
        + batchLinger
        + ", timeout="
        + timeout
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", queueCapacity="
        + queueCapacity
        + ", circuitBreaker="
        + circuitBreaker
        + "]";
  }
}
