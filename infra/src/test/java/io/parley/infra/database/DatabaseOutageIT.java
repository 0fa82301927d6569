package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.MessageLoad;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * PostgreSQL stopped (fast shutdown: in-flight statements get SQLState 57P01) and started again
 * while clients send messages and read: meanwhile every answer is a 2xx or a 503 problem document
 * with {@code Retry-After}, never a 500; readiness goes down and comes back, liveness stays up;
 * afterwards every acknowledged message is in its timeline, and retrying the refused ones with
 * their {@code clientMessageId} leaves each message exactly once.
 *
 * <p>This test needs a server it may stop, so it always starts its own in-process PostgreSQL
 * (whatever {@link TestDatabase} chose for the others) on a fixed port and data directory.
 */
class DatabaseOutageIT {

  static final int SENDERS = 4;
  static final Duration BEFORE_OUTAGE = Duration.ofSeconds(3);
  // Longer than the pool's connection timeout (5 s), so requests do fail rather than only wait.
  static final Duration OUTAGE = Duration.ofSeconds(8);
  static final Duration AFTER_OUTAGE = Duration.ofSeconds(4);

  @TempDir Path dataDir;
  @TempDir Path postgresDir;

  record Outcome(String clientMessageId, int status, String retryAfter, String contentType) {}

  @Test
  void databaseRestartUnderLoad_answers503WithRetryAfter_andLosesNothing() throws Exception {
    int pgPort = freePort();
    EmbeddedPostgres postgres = startPostgres(pgPort);
    TestDatabase.Connection db =
        new TestDatabase.Connection(
            postgres.getJdbcUrl("postgres", "postgres"), "postgres", "", "in-process");
    try (ConfigurableApplicationContext node =
        ParleyNode.start(dataDir, db, "--parley.rate-limit.messages=100000")) {
      ApiClient api = ParleyNode.client(node);
      String token = api.token("olga", "USER");
      List<String> conversations = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        conversations.add(
            api.postJson(
                    "/api/v1/conversations",
                    token,
                    Map.of("title", "outage " + i, "participants", List.of("pete")))
                .json()
                .get("conversationId")
                .asText());
      }
      for (String conversation : conversations) { // reads are eventually consistent
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> api.get("/api/v1/conversations/" + conversation, token).status() == 200);
      }

      AtomicBoolean running = new AtomicBoolean(true);
      ConcurrentLinkedQueue<Outcome> sends = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Outcome> reads = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Integer> readiness = new ConcurrentLinkedQueue<>();
      ConcurrentLinkedQueue<Integer> liveness = new ConcurrentLinkedQueue<>();
      ExecutorService load = Executors.newFixedThreadPool(SENDERS + 2);
      for (int s = 0; s < SENDERS; s++) {
        String conversation = conversations.get(s);
        String prefix = "s" + s + "-";
        load.submit(
            () -> {
              for (int i = 0; running.get(); i++) {
                String clientMessageId = prefix + i;
                sends.add(
                    attempt(
                        clientMessageId, () -> send(api, token, conversation, clientMessageId)));
              }
            });
      }
      load.submit(
          () -> {
            for (int i = 0; running.get(); i++) {
              String conversation = conversations.get(i % SENDERS);
              String path =
                  i % 2 == 0
                      ? "/api/v1/conversations/" + conversation
                      : "/api/v1/conversations/" + conversation + "/messages?limit=10";
              reads.add(attempt(path, () -> api.get(path, token)));
            }
          });
      load.submit(
          () -> {
            while (running.get()) {
              readiness.add(api.get("/actuator/health/readiness", null).status());
              liveness.add(api.get("/actuator/health/liveness", null).status());
              sleep(Duration.ofMillis(200));
            }
          });

      sleep(BEFORE_OUTAGE);
      postgres.close(); // pg_ctl stop -m fast
      sleep(OUTAGE);
      int readinessDuringOutage = api.get("/actuator/health/readiness", null).status();
      postgres = startPostgres(pgPort);
      sleep(AFTER_OUTAGE);
      running.set(false);
      load.shutdown();
      assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      System.out.printf(
          "DatabaseOutageIT: sends by status %s, reads by status %s, readiness %s%n",
          countByStatus(sends), countByStatus(reads), readiness);
      // Meanwhile: 2xx or 503 with Retry-After, always a problem document for the 503.
      List<Outcome> all = new ArrayList<>(sends);
      all.addAll(reads);
      assertThat(all)
          .allSatisfy(
              o -> {
                assertThat(o.status()).as(o.toString()).isIn(200, 201, 503);
                if (o.status() == 503) {
                  assertThat(o.retryAfter()).as(o.toString()).isNotBlank();
                  assertThat(o.contentType()).as(o.toString()).contains("application/problem+json");
                }
              });
      assertThat(sends)
          .as("some sends were refused during the outage")
          .anyMatch(o -> o.status() == 503);
      assertThat(sends).as("sends succeeded before and after").anyMatch(o -> o.status() == 201);
      assertThat(readinessDuringOutage).isEqualTo(503);
      assertThat(readiness).contains(200, 503);
      assertThat(liveness).containsOnly(200);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> api.get("/actuator/health/readiness", null).status() == 200);

      // Afterwards: retry what was refused with the same key; every message exactly once.
      Set<String> acknowledged =
          sends.stream()
              .filter(o -> o.status() == 201)
              .map(Outcome::clientMessageId)
              .collect(Collectors.toSet());
      for (Outcome refused : sends) {
        if (refused.status() != 201) {
          String conversation = conversations.get(senderOf(refused.clientMessageId()));
          assertThat(send(api, token, conversation, refused.clientMessageId()).status())
              .as("retry of " + refused.clientMessageId())
              .isEqualTo(201);
        }
      }
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        Set<String> expected =
            sends.stream()
                .map(Outcome::clientMessageId)
                .filter(id -> senderOf(id) == sender)
                .collect(Collectors.toSet());
        List<String> texts = awaitTimeline(api, token, conversations.get(s), expected.size());
        assertThat(texts).doesNotHaveDuplicates();
        assertThat(new HashSet<>(texts)).isEqualTo(texts(expected));
        assertThat(new HashSet<>(texts))
            .containsAll(
                texts(acknowledged.stream().filter(id -> senderOf(id) == sender).toList()));
      }
    } finally {
      postgres.close();
    }
  }

  static ApiClient.Response send(
      ApiClient api, String token, String conversation, String clientMessageId) {
    return api.postJson(
        "/api/v1/conversations/" + conversation + "/messages",
        token,
        Map.of("text", "text of " + clientMessageId, "clientMessageId", clientMessageId));
  }

  /** A request's outcome; an I/O failure (no HTTP answer at all) is recorded as status 0. */
  static Outcome attempt(String what, java.util.function.Supplier<ApiClient.Response> request) {
    try {
      return outcome(what, request.get());
    } catch (RuntimeException noAnswer) {
      return new Outcome(what, 0, null, noAnswer.getClass().getSimpleName());
    }
  }

  static Outcome outcome(String what, ApiClient.Response response) {
    return new Outcome(
        what,
        response.status(),
        response.header("Retry-After"),
        String.valueOf(response.header("Content-Type")));
  }

  static Map<Integer, Long> countByStatus(java.util.Collection<Outcome> outcomes) {
    return outcomes.stream()
        .collect(
            Collectors.groupingBy(Outcome::status, java.util.TreeMap::new, Collectors.counting()));
  }

  static int senderOf(String clientMessageId) {
    return Integer.parseInt(clientMessageId.substring(1, clientMessageId.indexOf('-')));
  }

  static Set<String> texts(java.util.Collection<String> clientMessageIds) {
    return clientMessageIds.stream().map(id -> "text of " + id).collect(Collectors.toSet());
  }

  static List<String> awaitTimeline(ApiClient api, String token, String conversation, int count) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                MessageLoad.timeline(api, token, conversation).stream()
                    .map(MessageLoad.Item::text)
                    .toList(),
            texts -> texts.size() >= count);
  }

  EmbeddedPostgres startPostgres(int port) throws IOException {
    return EmbeddedPostgres.builder()
        .setPort(port)
        .setDataDirectory(postgresDir)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .start();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
