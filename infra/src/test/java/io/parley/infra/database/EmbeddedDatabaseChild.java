package io.parley.infra.database;

import java.nio.file.Path;

/**
 * The embedded database of a Parley, alone in a JVM of its own, for tests that kill that JVM:
 * starts {@link EmbeddedDatabase} on the data directory {@code args[0]}, prints {@code READY <jdbc
 * url>} and waits to be killed.
 */
public final class EmbeddedDatabaseChild {

  static final String READY = "READY ";

  private EmbeddedDatabaseChild() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
    System.out.println(READY + database.jdbcUrl());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
