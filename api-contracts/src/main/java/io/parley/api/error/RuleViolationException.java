package io.parley.api.error;

/**
 * A well-formed request that a domain rule refuses in the resource's current state (422), for
 * example adding a participant to a conversation that already has the most it may have.
 */
public class RuleViolationException extends ParleyException {
  public RuleViolationException(String message) {
    super(message);
  }
}
