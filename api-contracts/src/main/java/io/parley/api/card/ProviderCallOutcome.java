package io.parley.api.card;

/** How one call to an external card provider ended. */
public enum ProviderCallOutcome {
  SUCCESS,
  /** HTTP 429. */
  RATE_LIMITED,
  /** HTTP 5xx. */
  SERVER_ERROR,
  /** No answer within the configured timeout. */
  TIMEOUT,
  /** An answer that is not the JSON asked for, or fails validation. */
  MALFORMED_RESPONSE,
  /** Not made: the circuit breaker was open. */
  CIRCUIT_OPEN,
  /** Not made: the provider's rate limiter had no permit within the timeout. */
  THROTTLED,
  /** Anything else (a 4xx other than 429, a connection refused, …). */
  ERROR
}
