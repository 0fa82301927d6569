package io.parley.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyIntegrationTest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Group commit on the real database, through HTTP (ADR 0021): sends arriving together are committed
 * in shared transactions (PostgreSQL's own {@code xmin} says which rows one transaction wrote); a
 * refused command beside accepted ones answers its refusal and takes nothing of the others with it;
 * a batch whose COMMIT fails answers no command of it with success before that command's own
 * transaction has committed.
 */
class GroupCommitIT extends ParleyIntegrationTest {

  static final String FAIL_MARKER = "fail-at-commit";

  @Autowired JdbcTemplate jdbc;
  @Autowired DataSource dataSource;
  @Autowired MeterRegistry meters;

  ExecutorService pool;
  String run;

  @BeforeEach
  void start() {
    pool = Executors.newFixedThreadPool(16);
    run = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    jdbc.execute("DROP TRIGGER IF EXISTS fail_marked_at_commit ON domain_event_entry");
    jdbc.execute("DROP FUNCTION IF EXISTS fail_marked_at_commit()");
  }

  @Test
  void concurrentSendsShareTransactionsAndLoseNothing() throws Exception {
    List<String> senders = senders(16);
    String owner = api.token(senders.get(0), "USER");
    String id = conversation(owner, senders);
    double batchesBefore = batches().count();

    List<Future<List<Integer>>> results = new ArrayList<>();
    for (String sender : senders) {
      String token = api.token(sender, "USER");
      results.add(
          pool.submit(
              () -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < 25; i++) {
                  statuses.add(send(id, token, sender + " #" + i, null).status());
                }
                return statuses;
              }));
    }
    for (Future<List<Integer>> result : results) {
      assertThat(result.get(3, TimeUnit.MINUTES)).containsOnly(201);
    }

    List<Long> sequences =
        jdbc.queryForList(
            "SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type LIKE '%MessageSentEvent' ORDER BY sequence_number",
            Long.class, id);
    assertThat(sequences).hasSize(400);
    long transactions =
        jdbc.queryForObject(
            "SELECT count(DISTINCT xmin::text) FROM domain_event_entry"
                + " WHERE aggregate_identifier = ? AND payload_type LIKE '%MessageSentEvent'",
            Long.class, id);
    assertThat(transactions)
        .as("400 messages from 16 concurrent senders committed in fewer transactions")
        .isLessThan(400);
    assertThat(batches().count() - batchesBefore).isLessThan(400);
    assertThat(batches().max()).isGreaterThan(1);
  }

  @Test
  void aRefusedCommandBesideAcceptedOnesTakesNothingWithIt() throws Exception {
    List<String> senders = senders(8);
    String owner = api.token(senders.get(0), "USER");
    String id = conversation(owner, senders);
    String outsider = api.token("outsider-" + run, "USER");

    List<Future<Integer>> accepted = new ArrayList<>();
    List<Future<Integer>> refused = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      for (String sender : senders) {
        String token = api.token(sender, "USER");
        int n = round;
        accepted.add(pool.submit(() -> send(id, token, sender + " #" + n, null).status()));
      }
      refused.add(pool.submit(() -> send(id, outsider, "let me in", null).status()));
    }
    for (Future<Integer> status : accepted) {
      assertThat(status.get(3, TimeUnit.MINUTES)).isEqualTo(201);
    }
    for (Future<Integer> status : refused) {
      assertThat(status.get(3, TimeUnit.MINUTES)).isEqualTo(403);
    }
    assertThat(messageSequences(id)).hasSize(160);
  }

  @Test
  void aBatchWhoseCommitFailsAnswersNoSuccessForWhatDidNotCommit() throws Exception {
    List<String> senders = senders(6);
    String owner = api.token(senders.get(0), "USER");
    String id = conversation(owner, senders);
    // A deferred trigger fails the COMMIT of any transaction that wrote an event whose metadata
    // carries the marker (the request id becomes the event's correlationId).
    jdbc.execute(
        "CREATE FUNCTION fail_marked_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF position(convert_to('"
            + FAIL_MARKER
            + "', 'UTF8') IN NEW.meta_data) > 0 THEN"
            + " RAISE EXCEPTION 'injected failure at commit'; END IF; RETURN NULL; END $$");
    jdbc.execute(
        "CREATE CONSTRAINT TRIGGER fail_marked_at_commit AFTER INSERT ON domain_event_entry"
            + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_marked_at_commit()");
    double aloneBefore = meters.counter(CommandBusConfig.BATCHES_HANDLED_ALONE).count();

    List<CompletableFuture<ApiClient.Response>> normal = new ArrayList<>();
    CompletableFuture<ApiClient.Response> marked;
    CompletableFuture<ApiClient.Response> blocker;
    try (Connection lock = dataSource.getConnection()) {
      // Hold the event table so that the committer waits inside one batch while the next one
      // queues up: the marked command and five others then share a batch.
      lock.setAutoCommit(false);
      try (Statement statement = lock.createStatement()) {
        statement.execute("LOCK TABLE domain_event_entry IN EXCLUSIVE MODE");
      }
      String first = api.token(senders.get(0), "USER");
      blocker = CompletableFuture.supplyAsync(() -> send(id, first, "blocker", null), pool);
      awaitQueued(0); // the blocker is taken by the committer, which now waits on the lock
      Thread.sleep(200);
      for (int i = 1; i < senders.size(); i++) {
        String token = api.token(senders.get(i), "USER");
        String text = "queued " + i;
        normal.add(CompletableFuture.supplyAsync(() -> send(id, token, text, null), pool));
      }
      String markedToken = api.token(senders.get(1), "USER");
      marked =
          CompletableFuture.supplyAsync(
              () -> send(id, markedToken, "marked", FAIL_MARKER + "-" + run), pool);
      awaitQueued(senders.size());
      lock.commit();
    }

    assertThat(blocker.get(1, TimeUnit.MINUTES).status()).isEqualTo(201);
    for (CompletableFuture<ApiClient.Response> response : normal) {
      assertThat(response.get(1, TimeUnit.MINUTES).status()).isEqualTo(201);
    }
    ApiClient.Response failed = marked.get(1, TimeUnit.MINUTES);
    assertThat(failed.status()).as(failed.body()).isGreaterThanOrEqualTo(500);
    assertThat(failed.body()).doesNotContain("marked");
    assertThat(meters.counter(CommandBusConfig.BATCHES_HANDLED_ALONE).count())
        .isGreaterThan(aloneBefore);
    // The blocker and the five others are stored, the marked message is not.
    assertThat(messageSequences(id)).hasSize(senders.size());
    assertThat(
            jdbc.queryForObject(
                "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?"
                    + " AND position(convert_to(?, 'UTF8') IN meta_data) > 0",
                Long.class,
                id,
                FAIL_MARKER))
        .isZero();
  }

  private io.micrometer.core.instrument.DistributionSummary batches() {
    return meters.get(CommandBusConfig.BATCH_SIZE).summary();
  }

  private void awaitQueued(int queued) {
    eventually(() -> meters.get(CommandBusConfig.QUEUED).gauge().value(), v -> v >= queued);
  }

  private List<Long> messageSequences(String id) {
    return jdbc.queryForList(
        "SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = ?"
            + " AND payload_type LIKE '%MessageSentEvent'",
        Long.class, id);
  }

  private List<String> senders(int count) {
    List<String> senders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      senders.add("gc" + i + "-" + run);
    }
    return senders;
  }

  private String conversation(String ownerToken, List<String> senders) {
    return api.postJson(
            "/api/v1/conversations",
            ownerToken,
            Map.of("title", "group commit", "participants", senders.subList(1, senders.size())))
        .json()
        .get("conversationId")
        .asText();
  }

  private ApiClient.Response send(String id, String token, String text, String requestId) {
    return api.send(
        "POST",
        "/api/v1/conversations/" + id + "/messages",
        token,
        ApiClient.json(Map.of("text", text)),
        "application/json",
        requestId == null ? Map.of() : Map.of("X-Request-Id", requestId));
  }
}
