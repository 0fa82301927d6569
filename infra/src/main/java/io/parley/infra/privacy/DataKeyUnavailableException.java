package io.parley.infra.privacy;

/**
 * A data key exists but cannot be used (its master key is not configured on this node, or it failed
 * authentication). Transient from the reader's point of view: fix the configuration and retry.
 * Never treated as an erasure.
 */
public class DataKeyUnavailableException extends IllegalStateException {
  public DataKeyUnavailableException(String message) {
    super(message);
  }
}
