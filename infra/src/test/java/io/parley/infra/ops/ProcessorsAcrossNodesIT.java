package io.parley.infra.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.BulkStore;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The processors API and replays with two application nodes sharing one database and the timeline's
 * two segments: both nodes answer the same segments, owners, positions and lag; a replay asked of
 * the node that holds no segment stops the processor on both, resets it once, rebuilds the
 * projection with its progress visible, and ends with both nodes processing again.
 */
class ProcessorsAcrossNodesIT {

  static final String PROCESSORS = "/api/v1/ops/processors";

  @TempDir Path dataDir;

  @Test
  void twoNodesShowOneTruthAndEitherCanReplayTheTimeline() {
    TestDatabase.Connection db = TestDatabase.newDatabase();
    try (ConfigurableApplicationContext a = ParleyNode.start(dataDir, db, node("node-a"))) {
      ApiClient apiA = ParleyNode.client(a);
      // A store worth watching a replay of: 400 messages, and the timeline committing each event
      // on its own (batch size 1), so its replay lasts seconds rather than milliseconds.
      BulkStore.conversations(apiA, 40);
      String ops = apiA.token("olga", "OPS");
      eventually(() -> processor(apiA, ops, "timeline"), p -> maxLag(p) == 0, 120);

      try (ConfigurableApplicationContext b = ParleyNode.start(dataDir, db, node("node-b"))) {
        ApiClient apiB = ParleyNode.client(b);
        // Node A started first and holds both segments; it lets one go and node B takes it.
        timeline(a).releaseSegment(1);
        eventually(
            () -> processor(apiB, ops, "timeline"),
            p -> owners(p).equals(Set.of("node-a", "node-b")),
            30);

        String alice = apiA.token("alice", "USER");
        String room =
            apiA.postJson("/api/v1/conversations", alice, Map.of("title", "ops"))
                .json()
                .get("conversationId")
                .asText();
        for (int i = 0; i < 5; i++) {
          apiA.postJson(
              "/api/v1/conversations/" + room + "/messages", alice, Map.of("text", "hello " + i));
        }
        long head = storeHead(a);
        // Both nodes answer the same segments, whoever holds them; lag is head minus position.
        JsonNode fromA =
            eventually(
                () -> processor(apiA, ops, "timeline"),
                p ->
                    p.get("head").asLong() == head
                        && p.get("segments")
                            .toString()
                            .equals(processor(apiB, ops, "timeline").get("segments").toString())
                        && minLag(p) == 0,
                30);
        for (JsonNode segment : fromA.get("segments")) {
          assertThat(segment.get("lag").asLong())
              .isEqualTo(head - segment.get("position").asLong());
        }
        assertThat(fromA.get("type").asText()).isEqualTo("event-handler");
        assertThat(fromA.get("replayable").asBoolean()).isTrue();
        assertThat(fromA.get("replay").isNull()).isTrue();

        // Stopped on both nodes, the timeline falls behind by every new event, seen from both.
        timeline(a).shutDown();
        timeline(b).shutDown();
        for (int i = 0; i < 3; i++) {
          apiA.postJson(
              "/api/v1/conversations/" + room + "/messages", alice, Map.of("text", "later " + i));
        }
        long later = storeHead(a);
        JsonNode behind = processor(apiB, ops, "timeline");
        assertThat(behind.get("head").asLong()).isEqualTo(later);
        assertThat(minLag(behind)).isGreaterThanOrEqualTo(later - head);
        assertThat(behind.get("segments").findValuesAsText("state")).containsOnly("UNCLAIMED");
        assertThat(processor(apiA, ops, "timeline").get("segments"))
            .isEqualTo(behind.get("segments"));
        timeline(a).start();
        timeline(b).start();
        eventually(() -> processor(apiB, ops, "timeline"), p -> owners(p).size() >= 1, 30);

        // Node B lets its segments go: it runs the processor but holds nothing. Ask it.
        eventually(
            () -> {
              timeline(b).processingStatus().keySet().forEach(timeline(b)::releaseSegment);
              return processor(apiB, ops, "timeline");
            },
            p -> owners(p).equals(Set.of("node-a")) && p.get("segments").size() == 2,
            30);
        JdbcTemplate sql = a.getBean(JdbcTemplate.class);
        long messages = sql.queryForObject("select count(*) from timeline_message", Long.class);
        // A row no event made: the projection's reset handler must clear it.
        sql.update(
            "insert into timeline_message (message_id, conversation_id, sender_id, text, sent_at,"
                + " verdict, toxicity, position) select gen_random_uuid(), conversation_id,"
                + " sender_id, text, sent_at, verdict, toxicity, position + 100000"
                + " from timeline_message limit 1");

        // A dead letter of the timeline: the replay handles every event again, so it is cleared.
        sql.update(
            "insert into dead_letter_entry (dead_letter_id, processing_group, sequence_identifier,"
                + " sequence_index, message_type, event_identifier, time_stamp, payload_type,"
                + " payload, enqueued_at) values ('0d7f3c2e-1111-4e6a-9c57-2d9e1f0b7a41',"
                + " 'timeline', 'someone', 0, 'EventMessage', 'e-1', '2026-12-02T00:00:00Z',"
                + " 'x', '\\x00'::bytea, '2026-12-02T00:00:00Z')");

        assertThat(apiB.postJson(PROCESSORS + "/timeline/replay", ops, Map.of()).status())
            .isEqualTo(202);
        ApiClient.Response again = apiA.postJson(PROCESSORS + "/timeline/replay", ops, Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");

        // While it runs: progress between 0 and 1 towards the head at the reset, and an ETA.
        List<JsonNode> seen = new ArrayList<>();
        eventually(
            () -> processor(apiA, ops, "timeline"),
            p -> {
              JsonNode replay = p.get("replay");
              if (!replay.isNull()) {
                seen.add(replay);
              }
              return replay.isNull() && !seen.isEmpty();
            },
            120);
        assertThat(seen)
            .anySatisfy(
                r -> {
                  assertThat(r.get("startedAt").isTextual()).isTrue();
                  assertThat(r.get("progress").asDouble()).isStrictlyBetween(0.0, 1.0);
                  assertThat(r.get("position").asLong()).isLessThan(r.get("head").asLong());
                  assertThat(r.get("head").asLong()).isEqualTo(later);
                  assertThat(r.get("etaSeconds").isNumber()).isTrue();
                });
        // Rebuilt: the stray row is gone, every message is back, and both nodes process again.
        eventually(
            () -> sql.queryForObject("select count(*) from timeline_message", Long.class),
            n -> n == messages,
            60);
        eventually(
            () ->
                sql.queryForObject(
                    "select reset_at is not null and finished_at is not null and"
                        + " requested_by = 'olga' from processor_replay"
                        + " where processor_name = 'timeline'",
                    Boolean.class),
            Boolean.TRUE::equals,
            10);
        assertThat(
                sql.queryForObject(
                    "select count(*) from dead_letter_entry where processing_group = 'timeline'",
                    Long.class))
            .isZero();
        // Each node starts its copy again at its next poll.
        eventually(
            () -> timeline(a).isRunning() && timeline(b).isRunning(), running -> running, 10);
        apiA.postJson(
            "/api/v1/conversations/" + room + "/messages", alice, Map.of("text", "after replay"));
        long last = storeHead(a);
        eventually(
            () -> processor(apiB, ops, "timeline"),
            p -> p.get("head").asLong() == last && minLag(p) == 0 && p.get("replay").isNull(),
            30);
      }
    }
  }

  static String[] node(String id) {
    return new String[] {
      "--parley.node-id=" + id,
      "--parley.rate-limit.messages=100000",
      "--axon.eventhandling.processors.timeline.batch-size=1"
    };
  }

  static StreamingEventProcessor timeline(ConfigurableApplicationContext node) {
    return node.getBean(EventProcessingConfiguration.class)
        .eventProcessor("timeline", StreamingEventProcessor.class)
        .orElseThrow();
  }

  static long storeHead(ConfigurableApplicationContext node) {
    return node.getBean(JdbcTemplate.class)
        .queryForObject("select max(global_index) from domain_event_entry", Long.class);
  }

  static JsonNode processor(ApiClient api, String token, String name) {
    ApiClient.Response response = api.get(PROCESSORS, token);
    assertThat(response.status()).isEqualTo(200);
    for (JsonNode processor : response.json()) {
      if (processor.get("name").asText().equals(name)) {
        return processor;
      }
    }
    throw new AssertionError("no processor " + name + " in " + response.body());
  }

  static Set<String> owners(JsonNode processor) {
    Set<String> owners = new HashSet<>();
    processor.get("segments").forEach(s -> owners.add(s.get("owner").asText(null)));
    owners.remove(null);
    return owners;
  }

  static long maxLag(JsonNode processor) {
    long max = 0;
    for (JsonNode s : processor.get("segments")) {
      max = Math.max(max, s.get("lag").asLong());
    }
    return processor.get("segments").isEmpty() ? Long.MAX_VALUE : max;
  }

  static long minLag(JsonNode processor) {
    long min = Long.MAX_VALUE;
    for (JsonNode s : processor.get("segments")) {
      min = Math.min(min, s.get("lag").asLong());
    }
    return min;
  }

  static <T> T eventually(Supplier<T> read, Predicate<T> until, int seconds) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(seconds))
        .pollInterval(Duration.ofMillis(100))
        .until(read::get, until::test);
  }
}
