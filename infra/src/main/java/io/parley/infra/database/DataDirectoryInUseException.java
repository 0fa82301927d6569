package io.parley.infra.database;

/** Another live Parley holds the data directory; this one must not start on it. */
public class DataDirectoryInUseException extends IllegalStateException {
  DataDirectoryInUseException(String message) {
    super(message);
  }
}
