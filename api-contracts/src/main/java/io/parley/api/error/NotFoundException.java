package io.parley.api.error;

/** The resource does not exist (404). */
public class NotFoundException extends ParleyException {
  public NotFoundException(String message) {
    super(message);
  }
}
