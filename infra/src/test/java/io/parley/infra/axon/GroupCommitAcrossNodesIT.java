package io.parley.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes batching sends into one conversation at once (ADR 0021): their batches collide on the
 * (aggregate, sequence) key, each collision rolls a batch back and runs its commands alone on a
 * fresh load, and every send is answered 201 with its event stored once, in one gapless sequence.
 */
class GroupCommitAcrossNodesIT {

  static final int SENDERS = 8;
  static final int PER_SENDER = 30;

  @TempDir Path dataDir;

  @Test
  void sendsBatchedOnTwoNodesIntoOneConversationAllLandOnce() throws Exception {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    String[] unlimited = {"--parley.rate-limit.messages=100000"};
    try (ConfigurableApplicationContext first = ParleyNode.start(dataDir, db, unlimited);
        ConfigurableApplicationContext second = ParleyNode.start(dataDir, db, unlimited)) {
      List<ApiClient> nodes = List.of(ParleyNode.client(first), ParleyNode.client(second));
      List<String> senders = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        senders.add("node-sender-" + i);
      }
      String owner = nodes.get(0).token(senders.get(0), "USER");
      String id =
          nodes
              .get(0)
              .postJson(
                  "/api/v1/conversations",
                  owner,
                  Map.of("title", "two nodes", "participants", senders.subList(1, SENDERS)))
              .json()
              .get("conversationId")
              .asText();

      ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
      List<Future<List<Integer>>> results = new ArrayList<>();
      for (int s = 0; s < SENDERS; s++) {
        String sender = senders.get(s);
        String token = nodes.get(0).token(sender, "USER");
        int offset = s;
        results.add(
            pool.submit(
                () -> {
                  List<Integer> statuses = new ArrayList<>();
                  for (int i = 0; i < PER_SENDER; i++) {
                    ApiClient node = nodes.get((i + offset) % 2); // both nodes, interleaved
                    statuses.add(
                        node.postJson(
                                "/api/v1/conversations/" + id + "/messages",
                                token,
                                Map.of("text", sender + " #" + i))
                            .status());
                  }
                  return statuses;
                }));
      }
      for (Future<List<Integer>> result : results) {
        assertThat(result.get(5, TimeUnit.MINUTES)).containsOnly(201);
      }
      pool.shutdown();

      List<Long> sequences = new ArrayList<>();
      try (var connection = DriverManager.getConnection(db.url(), db.user(), db.password());
          var query =
              connection.prepareStatement(
                  "SELECT sequence_number FROM domain_event_entry WHERE aggregate_identifier = ?"
                      + " ORDER BY sequence_number")) {
        query.setString(1, id);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            sequences.add(rows.getLong(1));
          }
        }
      }
      double collisions = 0;
      for (ConfigurableApplicationContext node : List.of(first, second)) {
        MeterRegistry meters = node.getBean(MeterRegistry.class);
        collisions +=
            meters.counter(CommandBusConfig.BATCHES_HANDLED_ALONE).count()
                + meters.counter(AxonConfig.COMMAND_RETRIES).count();
      }
      assertThat(collisions)
          .as("the nodes' appends collided (batches run again alone, or commands retried)")
          .isPositive();
      int messages = SENDERS * PER_SENDER;
      // The start, every message once, and an automatic card request every 50th message.
      int expected = 1 + messages + messages / 50;
      assertThat(sequences).hasSize(expected);
      for (int i = 0; i < expected; i++) {
        assertThat(sequences.get(i)).isEqualTo((long) i);
      }
    }
  }
}
