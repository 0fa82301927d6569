package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ChildJvm;
import io.parley.infra.support.ChildParley;
import io.parley.infra.support.MessageLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default run (Parley in its own JVM, dev mode, embedded PostgreSQL in the data directory)
 * stopped and then crashed under load: four clients send messages with {@code clientMessageId}s
 * into three conversations over HTTP throughout.
 *
 * <ol>
 *   <li><b>SIGTERM</b> (a process manager's stop): every request is answered 201 or refused cleanly
 *       (a 503 problem document, or no connection) — never a 500; the JVM exits within a bound and
 *       its PostgreSQL stops with it (a clean shutdown: no process, no {@code postmaster.pid}
 *       left).
 *   <li><b>SIGKILL</b> of the JVM and every PostgreSQL process at the same moment (a crash: what
 *       PostgreSQL had only in its shared memory is gone).
 * </ol>
 *
 * After each, Parley starts again on the same data directory: every message answered 201 is in its
 * timeline, once; a retry of it with the same {@code clientMessageId} answers the same messageId; a
 * retry of an unanswered one is accepted once (and after SIGTERM, none of those had been accepted:
 * graceful shutdown answers what it takes). With zonky's test settings (synchronous_commit off) the
 * crash loses the last acknowledged commits and this test fails. One test, three starts of Parley
 * (the restart after SIGTERM is the one that is then killed), to keep the suite short.
 */
class EmbeddedStopAndCrashIT {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStopAndCrashIT.class);

  /** Acknowledged messages before the SIGTERM, and again before the kill. */
  static final int ACKNOWLEDGED_FIRST = 150;

  static final Duration EXIT_AFTER_SIGTERM = Duration.ofSeconds(60);

  @TempDir Path work;

  @Test
  void aSigtermStopsCleanly_andAKill9WithPostgresqlLosesNothingAcknowledged() {
    Path dataDir = work.resolve("data");
    String token;
    MessageLoad stopped;
    try (ChildParley parley = ChildParley.start(dataDir, logFile("first"), settings())) {
      token = parley.client().token("alice", "USER");
      stopped =
          MessageLoad.start(
              parley.client(), token, conversations(parley.client(), token, "stop"), 4, "stop");
      stopped.awaitAcknowledged(ACKNOWLEDGED_FIRST, Duration.ofSeconds(120));
      ProcessHandle postmaster =
          parley.postmaster().orElseThrow(() -> new AssertionError("no embedded PostgreSQL"));

      long terminating = System.nanoTime();
      int exitCode = parley.terminate(EXIT_AFTER_SIGTERM);
      Duration exit = Duration.ofNanos(System.nanoTime() - terminating);
      stopped.awaitClientsStopped(Duration.ofSeconds(30));
      log.info(
          "SIGTERM: exit code {} after {} ms; {} acknowledged, {} refused (503), {} unanswered",
          exitCode,
          exit.toMillis(),
          stopped.acknowledged().size(),
          stopped.refused().size(),
          stopped.unanswered().size());
      assertThat(stopped.unexpected()).as("answers other than 201 or a 503 problem").isEmpty();
      assertThat(exitCode)
          .as("exit code of a JVM ended by SIGTERM after its shutdown")
          .isEqualTo(143);
      assertThat(ChildJvm.isRunning(postmaster))
          .as("the embedded PostgreSQL stops with its JVM on SIGTERM (no orphan)")
          .isFalse();
      assertThat(dataDir.resolve("postgres").resolve(PostmasterPidFile.FILE_NAME))
          .as("PostgreSQL shut down cleanly (it removes its pid file)")
          .doesNotExist();
      List<String> shutdown = linesFrom(parley.logLines(), "Commencing graceful shutdown");
      assertThat(shutdown)
          .as("the shutdown, in order: web server, Axon's processors, connections, PostgreSQL")
          .filteredOn(
              line ->
                  line.contains("Graceful shutdown complete")
                      || line.contains("Stopping PooledStreamingEventProcessor [timeline]")
                      || line.contains("parley - Shutdown completed")
                      || line.contains("Embedded PostgreSQL stopped"))
          .hasSize(4)
          .satisfies(
              lines -> {
                assertThat(lines.get(0)).contains("Graceful shutdown complete");
                assertThat(lines.get(3)).contains("Embedded PostgreSQL stopped");
              });
      assertThat(shutdown)
          .as("errors logged during the shutdown")
          .noneMatch(line -> line.matches("^\\S+\\s+ERROR .*"));
    }
    // Graceful shutdown answers every request it accepts: no message without an answer was taken.
    List<String> notAnswered = new ArrayList<>();
    stopped.unanswered().forEach(sent -> notAnswered.add(sent.clientMessageId()));
    stopped.refused().forEach(sent -> notAnswered.add(sent.clientMessageId()));
    assertThat(registeredClientMessageIds(dataDir, notAnswered))
        .as("messages accepted although their request was refused or not answered")
        .isEmpty();

    MessageLoad crashed;
    try (ChildParley parley = ChildParley.start(dataDir, logFile("after-sigterm"), settings())) {
      MessageLoad.Verified verified = stopped.verifyAfterRestart(parley.client());
      log.info(
          "SIGTERM: restart in {} ms, {} acknowledged messages found of {}, {} retried",
          parley.startup().toMillis(),
          verified.foundAfterRestart(),
          verified.acknowledged(),
          verified.retriedUnanswered());

      crashed =
          MessageLoad.start(
              parley.client(), token, conversations(parley.client(), token, "crash"), 4, "crash");
      crashed.awaitAcknowledged(ACKNOWLEDGED_FIRST, Duration.ofSeconds(120));
      ProcessHandle postmaster =
          parley.postmaster().orElseThrow(() -> new AssertionError("no embedded PostgreSQL"));
      parley.killWithPostgres();
      crashed.awaitClientsStopped(Duration.ofSeconds(30));
      assertThat(ChildJvm.isRunning(postmaster)).as("PostgreSQL killed with the JVM").isFalse();
    }
    assertThat(crashed.unexpected()).as("answers other than 201 or a 503 problem").isEmpty();
    assertThat(Files.exists(dataDir.resolve("postgres").resolve(PostmasterPidFile.FILE_NAME)))
        .as("the kill left PostgreSQL no time to clean up")
        .isTrue();

    try (ChildParley parley = ChildParley.start(dataDir, logFile("after-kill"), settings())) {
      assertThat(parley.logLines())
          .as("PostgreSQL died with the JVM: no orphan to shut down, a crash recovery instead")
          .noneMatch(line -> line.contains("Shut down an orphaned PostgreSQL"));
      MessageLoad.Verified verified = crashed.verifyAfterRestart(parley.client());
      log.info(
          "Kill -9: {} messages acknowledged before the kill, {} found after the restart, {}"
              + " unanswered retried; restart in {} ms",
          verified.acknowledged(),
          verified.foundAfterRestart(),
          verified.retriedUnanswered(),
          parley.startup().toMillis());
    }
  }

  /** The lines from the first containing {@code marker} on. */
  private static List<String> linesFrom(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(marker)) {
        return lines.subList(i, lines.size());
      }
    }
    throw new AssertionError("No line contains \"" + marker + "\"");
  }

  /**
   * Which of {@code clientMessageIds} the command side registered (in the send's own transaction),
   * read straight from the stopped application's database.
   */
  private static List<String> registeredClientMessageIds(
      Path dataDir, List<String> clientMessageIds) {
    try (EmbeddedDatabase database = EmbeddedDatabase.start(dataDir);
        Connection connection = DriverManager.getConnection(database.jdbcUrl());
        PreparedStatement query =
            connection.prepareStatement(
                "select client_message_id from client_message where client_message_id = any(?)")) {
      query.setArray(1, connection.createArrayOf("varchar", clientMessageIds.toArray()));
      List<String> registered = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          registered.add(rows.getString(1));
        }
      }
      return registered;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> conversations(ApiClient api, String token, String title) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(
          api.postJson(
                  "/api/v1/conversations",
                  token,
                  Map.of("title", title + " " + i, "participants", List.of("bob")))
              .json()
              .get("conversationId")
              .asText());
    }
    return ids;
  }

  private static Path logFile(String start) {
    return ChildParley.logFile(EmbeddedStopAndCrashIT.class.getSimpleName() + "-" + start);
  }

  static String[] settings() {
    return new String[] {"--parley.rate-limit.messages=1000000"};
  }
}
