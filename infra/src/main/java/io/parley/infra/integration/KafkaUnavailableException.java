package io.parley.infra.integration;

/**
 * A batch of integration events could not be published: its unit of work rolls back, the token
 * stays where it was, and Axon processes the batch again after its error back-off.
 */
public class KafkaUnavailableException extends RuntimeException {

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
