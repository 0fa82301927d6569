package io.parley.api.error;

/** The request conflicts with the resource's current state (409). */
public class ConflictException extends ParleyException {
  public ConflictException(String message) {
    super(message);
  }
}
