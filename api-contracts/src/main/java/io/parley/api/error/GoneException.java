package io.parley.api.error;

/** The resource existed and is gone for good, e.g. an erased subject's export (410). */
public class GoneException extends ParleyException {
  public GoneException(String message) {
    super(message);
  }
}
