package io.parley.infra.moderation;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Perspective API settings ({@code parley.moderation.perspective.*}); see
 * docs/runbooks/plug-in-perspective.md.
 *
 * @param apiKey the Google Cloud API key, sent in the {@code X-goog-api-key} header (never in the
 *     URL). No default: Perspective is used only when it is set.
 * @param url the {@code comments:analyze} endpoint
 * @param timeout the bound of one attempt, from connecting to the last byte of the response
 * @param retry how failed attempts are retried
 * @param circuitBreaker when Perspective stops being asked for a while
 */
@ConfigurationProperties("parley.moderation.perspective")
public record PerspectiveProperties(
    String apiKey,
    @DefaultValue("https://commentanalyzer.googleapis.com/v1alpha1/comments:analyze") URI url,
    @DefaultValue("1s") Duration timeout,
    @DefaultValue RetrySettings retry,
    @DefaultValue CircuitBreakerSettings circuitBreaker) {

  /**
   * Exponential backoff: attempt {@code n+1} waits {@code initialBackoff × multiplier^(n-1)}.
   *
   * @param maxAttempts attempts in all, the first one included
   */
  public record RetrySettings(
      @DefaultValue("2") int maxAttempts,
      @DefaultValue("100ms") Duration initialBackoff,
      @DefaultValue("2") double multiplier) {}

  /**
   * A count-based window over the last scorings (one scoring = all its attempts).
   *
   * @param failureRateThreshold the percentage of failed scorings in the window that opens the
   *     circuit
   * @param slidingWindowSize how many of the last scorings are judged
   * @param minimumCalls how many scorings must be in the window before it is judged
   * @param waitInOpenState how long an open circuit answers with the fallback before letting trial
   *     calls through
   */
  public record CircuitBreakerSettings(
      @DefaultValue("50") float failureRateThreshold,
      @DefaultValue("20") int slidingWindowSize,
      @DefaultValue("10") int minimumCalls,
      @DefaultValue("30s") Duration waitInOpenState) {}

  /** Keeps the API key out of anything that prints these settings. */
  @Override
  public String toString() {
    return "PerspectiveProperties[apiKey="
        + (apiKey == null || apiKey.isBlank() ? "<unset>" : "<set>")
        + ", url="
        + url
        + ", timeout="
        + timeout
        + ", retry="
        + retry
        + ", circuitBreaker="
        + circuitBreaker
        + "]";
  }
}
