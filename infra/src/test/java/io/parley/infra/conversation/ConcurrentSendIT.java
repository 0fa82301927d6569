package io.parley.infra.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.MessageLoad;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Concurrent commands on one aggregate never lose an event. */
class ConcurrentSendIT extends ParleyIntegrationTest {

  static final int THREADS = 8;
  static final int PER_THREAD = 200;

  @Autowired JdbcTemplate jdbc;

  @Test
  void eightThreadsTimesTwoHundredMessages_allLandOnceWithoutGaps() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> senders = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      senders.add("sender" + t + "-" + run);
    }
    String ownerToken = api.token(senders.get(0), "USER");
    Response created =
        api.postJson(
            "/api/v1/conversations",
            ownerToken,
            Map.of("title", "busy", "participants", senders.subList(1, THREADS)));
    String id = created.json().get("conversationId").asText();

    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    List<Future<List<Integer>>> results = new ArrayList<>();
    for (String sender : senders) {
      String token = api.token(sender, "USER");
      results.add(
          pool.submit(
              () -> {
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                  statuses.add(
                      api.postJson(
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

    int total = THREADS * PER_THREAD;
    Set<String> texts = new HashSet<>();
    Set<String> messageIds = new HashSet<>();
    eventually(
        () -> api.get("/api/v1/conversations/" + id, ownerToken),
        r -> r.status() == 200 && r.json().get("messageCount").asLong() == total);
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from timeline_message where conversation_id = ?::uuid",
                Long.class,
                id),
        count -> count == total);
    for (MessageLoad.Item item : MessageLoad.timeline(api, ownerToken, id)) {
      texts.add(item.text());
      messageIds.add(item.messageId());
    }

    assertThat(messageIds).hasSize(total);
    assertThat(texts).hasSize(total);
    List<Long> positions =
        jdbc.queryForList(
            "select position from timeline_message where conversation_id = ?::uuid order by position",
            Long.class,
            id);
    assertThat(positions).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(positions.get(i)).isEqualTo(i + 1L); // no gaps, no duplicates
    }
    // Its own events: the start, every message once, and an automatic card every 50th message.
    Map<String, Long> events = new java.util.TreeMap<>();
    jdbc.query(
        "select payload_type, count(*) from domain_event_entry where aggregate_identifier = ?"
            + " group by payload_type",
        row -> {
          events.put(row.getString(1), row.getLong(2));
        },
        id);
    assertThat(events)
        .containsOnly(
            Map.entry("io.parley.api.conversation.ConversationStartedEvent", 1L),
            Map.entry("io.parley.api.conversation.MessageSentEvent", (long) total),
            Map.entry("io.parley.api.card.CardRequestedEvent", total / 50L));
  }
}
