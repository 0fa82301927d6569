package io.parley.api.error;

/** A known caller without the right to do this (403). */
public class ForbiddenException extends ParleyException {
  public ForbiddenException(String message) {
    super(message);
  }
}
