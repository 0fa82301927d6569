package io.parley.api.error;

/**
 * Base of the domain's refusals. The HTTP layer maps each subclass to one status; messages are
 * written for clients and never contain personal data (no message text, no titles).
 */
public abstract class ParleyException extends RuntimeException {

  protected ParleyException(String message) {
    super(message, null, false, false);
  }
}
