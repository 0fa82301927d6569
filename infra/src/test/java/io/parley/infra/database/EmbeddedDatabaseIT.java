package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.infra.support.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The run mode's embedded PostgreSQL ({@link EmbeddedDatabase}, what {@code java -jar parley.jar}
 * starts): durable settings, one Parley per data directory, and a restart after {@code kill -9}
 * that finds the previous PostgreSQL still running on the directory.
 */
class EmbeddedDatabaseIT {

  @TempDir Path work;

  @Test
  void runsWithFsyncSynchronousCommitAndFullPageWritesOn() throws Exception {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("data"));
        Connection connection = DriverManager.getConnection(database.jdbcUrl())) {
      assertThat(show(connection, "fsync")).isEqualTo("on");
      assertThat(show(connection, "synchronous_commit")).isEqualTo("on");
      assertThat(show(connection, "full_page_writes")).isEqualTo("on");
    }
  }

  @Test
  void aSecondStartOnTheSameDirectoryInThisJvm_isRefusedAndTheFirstKeepsRunning() throws Exception {
    Path dataDir = work.resolve("data");
    try (EmbeddedDatabase first = EmbeddedDatabase.start(dataDir)) {
      assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Another Parley is running on the data directory")
          .hasMessageContaining(dataDir.toRealPath().toString());
      try (Connection connection = DriverManager.getConnection(first.jdbcUrl())) {
        assertThat(show(connection, "fsync")).isEqualTo("on");
      }
    }
    // Released at close: the directory can be used again.
    EmbeddedDatabase.start(dataDir).close();
  }

  @Test
  void aLiveParleyIsRefusedAtOnce_andThePostgresqlItLeavesAtKill9IsShutDownAndReused()
      throws Exception {
    Path dataDir = work.resolve("data");
    Path log = work.resolve("child.log");
    Process child =
        ChildJvm.start(
            EmbeddedDatabaseChild.class.getName(),
            true,
            log,
            List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            List.of(dataDir.toString()));
    try {
      String url = awaitReady(child, log);
      try (Connection connection = DriverManager.getConnection(url);
          Statement statement = connection.createStatement()) {
        statement.execute("create table kept (n int primary key)");
        statement.execute("insert into kept select generate_series(1, 100)");
      }

      // The child is a live Parley holding the directory: refused without waiting for anything.
      long refusing = System.nanoTime();
      assertThatThrownBy(() -> EmbeddedDatabase.start(dataDir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Another Parley is running on the data directory")
          .hasMessageContaining(dataDir.toRealPath().toString());
      assertThat(Duration.ofNanos(System.nanoTime() - refusing))
          .as("a live holder is refused at once, not after a PostgreSQL start times out")
          .isLessThan(Duration.ofSeconds(5));

      Path files = dataDir.resolve("postgres");
      ProcessHandle orphan =
          PostmasterPidFile.runningOn(files)
              .orElseThrow(() -> new AssertionError("no postmaster runs on " + files));
      child.destroyForcibly().waitFor();
      assertThat(PostmasterPidFile.isRunning(orphan))
          .as("PostgreSQL outlives the kill -9 of its JVM (daemonised by pg_ctl)")
          .isTrue();

      ListAppender<ILoggingEvent> logged = capture();
      try (EmbeddedDatabase again = EmbeddedDatabase.start(dataDir);
          Connection connection = DriverManager.getConnection(again.jdbcUrl());
          Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("select count(*) from kept")) {
        assertThat(PostmasterPidFile.isRunning(orphan)).as("the orphan was shut down").isFalse();
        rows.next();
        assertThat(rows.getInt(1)).isEqualTo(100);
        assertThat(logged.list)
            .extracting(ILoggingEvent::getFormattedMessage)
            .anySatisfy(
                line ->
                    assertThat(line)
                        .startsWith("Shut down an orphaned PostgreSQL (pid " + orphan.pid() + ")")
                        .contains(files.toRealPath().toString()));
      } finally {
        release(logged);
      }
    } finally {
      child.destroyForcibly();
      killLeftovers(dataDir.resolve("postgres"));
    }
  }

  private static String awaitReady(Process child, Path log) throws IOException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        Optional<String> ready =
            Files.readAllLines(log).stream()
                .filter(line -> line.startsWith(EmbeddedDatabaseChild.READY))
                .findFirst();
        if (ready.isPresent()) {
          return ready.get().substring(EmbeddedDatabaseChild.READY.length());
        }
      }
      if (!child.isAlive()) {
        throw new AssertionError("The child JVM exited:\n" + ChildJvm.tail(log, 40));
      }
      sleep();
    }
    throw new AssertionError("The child's database was not ready:\n" + ChildJvm.tail(log, 40));
  }

  /** A failed test must not leave a PostgreSQL running. */
  private static void killLeftovers(Path files) {
    PostmasterPidFile.runningOn(files)
        .ifPresent(
            postmaster -> {
              List<ProcessHandle> all = new java.util.ArrayList<>(List.of(postmaster));
              postmaster.descendants().forEach(all::add);
              ChildJvm.killAtOnce(all);
            });
  }

  private static String show(Connection connection, String setting) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("show " + setting)) {
      result.next();
      return result.getString(1);
    }
  }

  private static ListAppender<ILoggingEvent> capture() {
    Logger logger = (Logger) LoggerFactory.getLogger(EmbeddedDatabase.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    if (!logger.isInfoEnabled()) {
      logger.setLevel(Level.INFO);
    }
    return appender;
  }

  private static void release(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(EmbeddedDatabase.class)).detachAppender(appender);
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
