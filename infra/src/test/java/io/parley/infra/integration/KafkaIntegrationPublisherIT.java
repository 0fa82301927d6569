package io.parley.infra.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.integration.IntegrationTopics;
import io.parley.infra.axon.ProcessorLag;
import io.parley.infra.integration.TopicReader.Received;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import io.parley.testsupport.TestKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The Kafka publisher end to end, on a real broker ({@link TestKafka}) and a real PostgreSQL: one
 * Parley node with the publisher on, driven through the HTTP API through every published event type
 * (a conversation, a participant, a delivered, a blocked and a warned message, a user's flag
 * reviewed and upheld, new thresholds, a card made and one that failed, a consent granted and
 * withdrawn, an erasure requested and cancelled, an erasure carried out, and an audit read, which
 * is not published), then everything it published read back from the topics as raw bytes and
 * checked against the stored events in {@code domain_event_entry}.
 */
class KafkaIntegrationPublisherIT {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The stored event types that are published, and the topic each goes to. */
  static final Map<String, String> TOPIC_OF =
      Map.ofEntries(
          Map.entry(
              "io.parley.api.conversation.ConversationStartedEvent",
              IntegrationTopics.CONVERSATIONS),
          Map.entry(
              "io.parley.api.conversation.ParticipantAddedEvent", IntegrationTopics.CONVERSATIONS),
          Map.entry("io.parley.api.conversation.MessageSentEvent", IntegrationTopics.CONVERSATIONS),
          Map.entry(
              "io.parley.api.conversation.ModerationThresholdsChangedEvent",
              IntegrationTopics.CONVERSATIONS),
          Map.entry("io.parley.api.conversation.MessageBlockedEvent", IntegrationTopics.MODERATION),
          Map.entry("io.parley.api.moderation.FlagRaisedEvent", IntegrationTopics.MODERATION),
          Map.entry(
              "io.parley.api.moderation.FlagRaisedAutomaticallyEvent",
              IntegrationTopics.MODERATION),
          Map.entry(
              "io.parley.api.moderation.FlagReviewStartedEvent", IntegrationTopics.MODERATION),
          Map.entry("io.parley.api.moderation.FlagResolvedEvent", IntegrationTopics.MODERATION),
          Map.entry("io.parley.api.moderation.MessageRemovedEvent", IntegrationTopics.MODERATION),
          Map.entry("io.parley.api.card.CardRequestedEvent", IntegrationTopics.CARDS),
          Map.entry("io.parley.api.card.CardGeneratedEvent", IntegrationTopics.CARDS),
          Map.entry("io.parley.api.card.CardFailedEvent", IntegrationTopics.CARDS),
          Map.entry("io.parley.api.subject.ConsentGrantedEvent", IntegrationTopics.SUBJECTS),
          Map.entry("io.parley.api.subject.ConsentWithdrawnEvent", IntegrationTopics.SUBJECTS),
          Map.entry("io.parley.api.subject.ErasureRequestedEvent", IntegrationTopics.SUBJECTS),
          Map.entry("io.parley.api.subject.ErasureCancelledEvent", IntegrationTopics.SUBJECTS),
          Map.entry("io.parley.api.subject.SubjectErasedEvent", IntegrationTopics.SUBJECTS));

  /** Scores at or above the default block threshold with the built-in scorer (ModerationApiIT). */
  static final String SEVERE = "I will kill you, you worthless piece of shit";

  /** Scores in the default warn band with the built-in scorer (ModerationApiIT). */
  static final String BORDERLINE = "you are an idiot";

  @TempDir static Path dataDir;

  static ConfigurableApplicationContext node;
  static TestDatabase.Connection db;
  static String run;
  static String alice, bob, carol, moderator, dave, officer;
  static String requestId;
  static String conversationId;
  static String removedMessageId;
  static String readyCardId;
  static String failedCardId;

  /** The READY card as the API shows it to a participant (its title and caption among them). */
  static JsonNode readyCard;

  /** Text that is personal data and must never reach Kafka. */
  static List<String> secrets = new ArrayList<>();

  /** Stored events, in global order: id, type, global index. */
  static List<StoredEvent> stored;

  static List<Received> records;

  record StoredEvent(String id, String type, long globalIndex, String aggregateId) {}

  @BeforeAll
  static void publishEveryEventType() {
    db = TestDatabase.newDatabase();
    node =
        ParleyNode.start(
            dataDir, db, "--parley.kafka.bootstrap-servers=" + TestKafka.bootstrapServers());
    ApiClient api = ParleyNode.client(node);
    JdbcTemplate jdbc = node.getBean(JdbcTemplate.class);
    run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
    carol = "carol-" + run;
    moderator = "mod-" + run;
    dave = "dave-" + run;
    officer = "officer-" + run;
    String aliceToken = api.token(alice, "USER");
    String bobToken = api.token(bob, "USER");
    String carolToken = api.token(carol, "USER");
    String modToken = api.token(moderator, "USER", "MODERATOR");
    String daveToken = api.token(dave, "USER");
    String officerToken = api.token(officer, "COMPLIANCE");

    String title = "KAFKA-TITLE-" + run;
    String text = "KAFKA-TEXT-" + run;
    String reason = "KAFKA-FLAG-REASON-" + run;
    String note = "KAFKA-FLAG-NOTE-" + run;
    String erasureReason = "KAFKA-ERASURE-REASON-" + run;
    secrets.addAll(List.of(title, text, reason, note, erasureReason, SEVERE, BORDERLINE));

    conversationId =
        created(
                api.postJson(
                    "/api/v1/conversations",
                    aliceToken,
                    Map.of("title", title, "participants", List.of(bob))))
            .json()
            .get("conversationId")
            .asText();
    String room = "/api/v1/conversations/" + conversationId;
    assertThat(api.postJson(room + "/participants", aliceToken, Map.of("userId", carol)).status())
        .isEqualTo(204);
    requestId = "kafka-it-" + run;
    ApiClient.Response sent =
        api.send(
            "POST",
            room + "/messages",
            aliceToken,
            ApiClient.json(Map.of("text", text)),
            "application/json",
            Map.of("X-Request-Id", requestId));
    removedMessageId = created(sent).json().get("messageId").asText();
    assertThat(
            created(api.postJson(room + "/messages", bobToken, Map.of("text", SEVERE)))
                .json()
                .get("verdict")
                .asText())
        .isEqualTo("BLOCKED");
    assertThat(
            created(api.postJson(room + "/messages", bobToken, Map.of("text", BORDERLINE)))
                .json()
                .get("verdict")
                .asText())
        .isEqualTo("WARNED");
    // Carol flags Alice's message once the read model knows it.
    String flagId =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    api.postJson(
                        "/api/v1/messages/" + removedMessageId + "/flags",
                        carolToken,
                        Map.of("reason", reason, "note", note)),
                r -> r.status() == 201)
            .json()
            .get("flagId")
            .asText();
    assertThat(api.postJson("/api/v1/flags/" + flagId + "/review", modToken, Map.of()).status())
        .isEqualTo(204);
    assertThat(
            api.postJson(
                    "/api/v1/flags/" + flagId + "/resolve", modToken, Map.of("outcome", "UPHELD"))
                .status())
        .isEqualTo(204);
    assertThat(
            api.putJson(
                    room + "/moderation",
                    aliceToken,
                    Map.of("warnThreshold", 0.5, "blockThreshold", 0.9))
                .status())
        .isEqualTo(204);
    // A card: alice and bob grant CARD_GENERATION and write; alice asks for a card, which the
    // built-in generator makes (READY); a second request has no new message and ends FAILED.
    ParleyIntegrationTest.awaitProcessorClaimed(jdbc, "CardGenerationSagaProcessor");
    for (String token : List.of(aliceToken, bobToken)) {
      assertThat(
              api.putJson(
                      "/api/v1/me/consents/CARD_GENERATION",
                      token,
                      Map.of("granted", true, "policyVersion", "v1"))
                  .status())
          .isEqualTo(204);
    }
    List<String> cardTexts =
        List.of(
            "What a wonderful day at the lake kcard" + run + ", I loved every minute!",
            "Best trip ever kcard" + run + ". The sunset was amazing and the food great.");
    secrets.addAll(cardTexts);
    created(api.postJson(room + "/messages", aliceToken, Map.of("text", cardTexts.get(0))));
    String lastCardMessage =
        created(api.postJson(room + "/messages", bobToken, Map.of("text", cardTexts.get(1))))
            .json()
            .get("messageId")
            .asText();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> api.get(room + "/messages", aliceToken),
            r -> r.status() == 200 && r.body().contains(lastCardMessage));
    readyCardId = requestCard(api, aliceToken, room);
    readyCard =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> api.get("/api/v1/cards/" + readyCardId, bobToken),
                r -> r.status() == 200 && r.json().get("status").asText().equals("READY"))
            .json();
    // What the API shows of the card's words: personal data, never on Kafka.
    secrets.add(readyCard.get("title").asText());
    secrets.add(readyCard.get("caption").asText());
    failedCardId = requestCard(api, aliceToken, room);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> api.get("/api/v1/cards/" + failedCardId, aliceToken),
            r -> r.status() == 200 && r.json().get("status").asText().equals("FAILED"));

    String consent = "/api/v1/me/consents/ANALYTICS";
    assertThat(
            api.putJson(consent, daveToken, Map.of("granted", true, "policyVersion", "v1"))
                .status())
        .isEqualTo(204);
    assertThat(
            api.putJson(consent, daveToken, Map.of("granted", false, "policyVersion", "v1"))
                .status())
        .isEqualTo(204);
    assertThat(api.send("POST", "/api/v1/me/erasure", daveToken, null, null, Map.of()).status())
        .isEqualTo(202);
    assertThat(api.send("DELETE", "/api/v1/me/erasure", daveToken, null, null, Map.of()).status())
        .isEqualTo(204);
    ParleyIntegrationTest.awaitSagaProcessorReady(jdbc);
    assertThat(
            api.postJson(
                    "/api/v1/compliance/subjects/" + dave + "/erasure",
                    officerToken,
                    Map.of("immediate", true, "reason", erasureReason))
                .status())
        .isEqualTo(202);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                storedEvents(jdbc).stream()
                    .anyMatch(e -> e.type().endsWith(".SubjectErasedEvent")));
    // An audit read: stored as an AuditAccessedEvent, which is never published.
    assertThat(
            api.get(
                    "/api/v1/audit/events?limit=1",
                    officerToken,
                    Map.of("X-Audit-Reason", "KAFKA-AUDIT-REASON-" + run))
                .status())
        .isEqualTo(200);
    secrets.add("KAFKA-AUDIT-REASON-" + run);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                storedEvents(jdbc).stream()
                    .map(StoredEvent::type)
                    .collect(Collectors.toSet())
                    .containsAll(TOPIC_OF.keySet()));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                storedEvents(jdbc).stream()
                    .anyMatch(e -> e.type().endsWith(".AuditAccessedEvent")));

    stored = storedEvents(jdbc);
    Set<String> published =
        stored.stream()
            .filter(e -> TOPIC_OF.containsKey(e.type()))
            .map(StoredEvent::id)
            .collect(Collectors.toSet());
    awaitTopics();
    try (TopicReader reader = new TopicReader(TestKafka.bootstrapServers())) {
      records =
          reader.readUntil(
              received ->
                  received.stream()
                      .map(r -> r.header("eventId"))
                      .collect(Collectors.toSet())
                      .containsAll(published),
              Duration.ofSeconds(30));
    }
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestDatabase.dropDatabase(db);
  }

  @Test
  void theScenarioStoredEveryPublishedEventType() {
    assertThat(stored.stream().map(StoredEvent::type).collect(Collectors.toSet()))
        .containsAll(TOPIC_OF.keySet())
        .contains("io.parley.api.audit.AuditAccessedEvent");
  }

  @Test
  void everyPublishedEvent_isOnItsTopic_keyedAsDocumented_withItsHeaders() {
    for (StoredEvent event : stored) {
      String topic = TOPIC_OF.get(event.type());
      if (topic == null) {
        continue;
      }
      List<Received> its = recordsOf(event.id());
      assertThat(its).as(event.type()).isNotEmpty();
      for (Received record : its) {
        String type = simpleName(event.type()).replaceFirst("Event$", "");
        assertThat(record.topic()).as(event.type()).isEqualTo(topic);
        assertThat(record.header("eventType")).isEqualTo(type);
        if (record.isTombstone()) {
          assertThat(type).isEqualTo("SubjectErased");
          assertThat(record.keyText()).isEqualTo(event.aggregateId());
          continue;
        }
        JsonNode value = json(record);
        assertThat(value.get("type").asText()).isEqualTo(type);
        assertThat(value.get("version").asInt()).isEqualTo(1);
        assertThat(value.get("eventId").asText()).isEqualTo(event.id());
        assertThat(value.get("occurredAt").asText()).isNotBlank();
        String key =
            switch (topic) {
              case IntegrationTopics.CONVERSATIONS -> value.get("conversationId").asText();
              case IntegrationTopics.MODERATION -> value.get("messageId").asText();
              case IntegrationTopics.CARDS -> value.get("cardId").asText();
              default -> value.get("subjectId").asText();
            };
        assertThat(record.keyText()).as(event.type()).isEqualTo(key);
        if (topic.equals(IntegrationTopics.CONVERSATIONS)) {
          assertThat(key).isEqualTo(conversationId);
        }
        if (topic.equals(IntegrationTopics.SUBJECTS)) {
          // dave's consents and erasure; alice's and bob's CARD_GENERATION grants.
          assertThat(key).isIn(dave, alice, bob);
        }
        if (topic.equals(IntegrationTopics.CARDS)) {
          assertThat(key).isIn(readyCardId, failedCardId);
        }
      }
    }
    // The message sent with an X-Request-Id carries it as its correlationId.
    Received message =
        records.stream()
            .filter(r -> "MessageSent".equals(r.header("eventType")))
            .filter(r -> json(r).get("messageId").asText().equals(removedMessageId))
            .findFirst()
            .orElseThrow();
    assertThat(message.header("correlationId")).isEqualTo(requestId);
    JsonNode value = json(message);
    assertThat(value.get("conversationId").asText()).isEqualTo(conversationId);
    assertThat(value.get("position").asLong()).isEqualTo(1);
    assertThat(value.get("verdict").asText()).isEqualTo("ALLOWED");
    assertThat(fieldNames(value))
        .containsExactly(
            "type",
            "version",
            "eventId",
            "occurredAt",
            "conversationId",
            "messageId",
            "position",
            "verdict",
            "toxicity");
  }

  @Test
  void eventsOfOtherTypes_suchAsAuditReads_areNotPublished() {
    Set<String> ids = records.stream().map(r -> r.header("eventId")).collect(Collectors.toSet());
    for (StoredEvent event : stored) {
      if (!TOPIC_OF.containsKey(event.type())) {
        assertThat(ids).as(event.type()).doesNotContain(event.id());
      }
    }
  }

  @Test
  void aCardRequestedOverHttp_isOnTheCardsTopic_keyedByCardId_withoutItsWordsOrUserIds() {
    List<Received> ready = cardRecords(readyCardId);
    assertThat(ready.stream().map(r -> r.header("eventType")))
        .containsSubsequence("CardRequested", "CardGenerated");
    JsonNode requested = json(first(ready, "CardRequested"));
    assertThat(fieldNames(requested))
        .containsExactly(
            "type",
            "version",
            "eventId",
            "occurredAt",
            "cardId",
            "conversationId",
            "trigger",
            "number",
            "afterPosition",
            "upToPosition");
    assertThat(requested.get("cardId").asText()).isEqualTo(readyCardId);
    assertThat(requested.get("conversationId").asText()).isEqualTo(conversationId);
    assertThat(requested.get("trigger").asText()).isEqualTo("REQUESTED");
    assertThat(requested.get("number").asLong()).isEqualTo(1);
    assertThat(requested.get("afterPosition").asLong()).isZero();
    assertThat(requested.get("upToPosition").asLong()).isPositive();

    JsonNode generated = json(first(ready, "CardGenerated"));
    assertThat(fieldNames(generated))
        .containsExactly(
            "type",
            "version",
            "eventId",
            "occurredAt",
            "cardId",
            "conversationId",
            "rarity",
            "polarity",
            "confidence",
            "messageCount",
            "contributorCount",
            "provider",
            "model",
            "fallback");
    assertThat(generated.get("conversationId").asText()).isEqualTo(conversationId);
    assertThat(generated.get("rarity").asText()).isEqualTo(readyCard.get("rarity").asText());
    assertThat(generated.get("polarity").decimalValue())
        .isEqualByComparingTo(readyCard.get("sentiment").get("polarity").decimalValue());
    assertThat(generated.get("confidence").decimalValue())
        .isEqualByComparingTo(readyCard.get("sentiment").get("confidence").decimalValue());
    assertThat(generated.get("messageCount").asInt())
        .isEqualTo(readyCard.get("messageCount").asInt());
    assertThat(generated.get("contributorCount").asInt()).isEqualTo(2); // alice and bob
    assertThat(generated.get("provider").asText()).isEqualTo("builtin");
    assertThat(generated.get("model").isNull()).isTrue();
    assertThat(generated.get("fallback").asBoolean()).isFalse();

    List<Received> failed = cardRecords(failedCardId);
    assertThat(failed.stream().map(r -> r.header("eventType")))
        .containsSubsequence("CardRequested", "CardFailed");
    JsonNode failure = json(first(failed, "CardFailed"));
    assertThat(fieldNames(failure))
        .containsExactly(
            "type", "version", "eventId", "occurredAt", "cardId", "conversationId", "reason");
    assertThat(failure.get("reason").asText()).isEqualTo("NO_CONSENTED_MESSAGES");
    assertThat(json(first(failed, "CardRequested")).get("number").asLong()).isEqualTo(2);

    // Neither the title nor the caption the API shows, nor any user id, in any byte of the topic.
    String title = readyCard.get("title").asText();
    String caption = readyCard.get("caption").asText();
    assertThat(title).isNotBlank();
    assertThat(caption).isNotBlank();
    List<String> userIds = List.of(alice, bob, carol, moderator, dave, officer);
    List<Received> cardTopic =
        records.stream().filter(r -> r.topic().equals(IntegrationTopics.CARDS)).toList();
    assertThat(cardTopic).hasSizeGreaterThanOrEqualTo(4);
    for (Received record : cardTopic) {
      for (byte[] bytes : record.allBytes()) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain(title).doesNotContain(caption);
        for (String user : userIds) {
          assertThat(text).as(record.header("eventType")).doesNotContain(user);
        }
      }
    }
  }

  @Test
  void noRecordCarriesText_titles_notes_orReasons_andUserIdsOnlyOnTheSubjectsTopic() {
    List<String> userIds = List.of(alice, bob, carol, moderator, dave, officer);
    assertThat(records).isNotEmpty();
    for (Received record : records) {
      for (byte[] bytes : record.allBytes()) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        for (String secret : secrets) {
          assertThat(text)
              .as(record.topic() + " " + record.header("eventType"))
              .doesNotContain(secret);
        }
        if (!record.topic().equals(IntegrationTopics.SUBJECTS)) {
          for (String user : userIds) {
            assertThat(text)
                .as(record.topic() + " " + record.header("eventType"))
                .doesNotContain(user);
          }
        }
      }
    }
    // The scan does see the bytes: the subject's own id is on the subjects topic.
    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.topic()).isEqualTo(IntegrationTopics.SUBJECTS);
              assertThat(r.keyText()).isEqualTo(dave);
            });
  }

  @Test
  void recordsOfOneKey_arriveInEventOrder() {
    Map<String, Long> globalIndex = new HashMap<>();
    stored.forEach(e -> globalIndex.put(e.id(), e.globalIndex()));
    Map<String, List<Long>> byKey = new LinkedHashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Received record : records) {
      String id = record.header("eventId");
      if (!globalIndex.containsKey(id) || !seen.add(id)) {
        continue; // another test's record, or a duplicate (deduplicated by eventId)
      }
      byKey
          .computeIfAbsent(record.topic() + "/" + record.keyText(), k -> new ArrayList<>())
          .add(globalIndex.get(id));
    }
    assertThat(byKey.get(IntegrationTopics.CONVERSATIONS + "/" + conversationId))
        .hasSizeGreaterThan(3);
    assertThat(byKey.get(IntegrationTopics.MODERATION + "/" + removedMessageId))
        .hasSizeGreaterThan(2);
    byKey.forEach((key, indexes) -> assertThat(indexes).as(key).isSorted());
  }

  @Test
  void theErasureCarriedOut_isATombstone_theSubjectsLastRecord() {
    StoredEvent erased =
        stored.stream()
            .filter(e -> e.type().endsWith(".SubjectErasedEvent"))
            .findFirst()
            .orElseThrow();
    List<Received> daves =
        records.stream()
            .filter(r -> r.topic().equals(IntegrationTopics.SUBJECTS))
            .filter(r -> dave.equals(r.keyText()))
            .toList();
    Received last = daves.get(daves.size() - 1);
    assertThat(last.isTombstone()).isTrue();
    assertThat(last.header("eventType")).isEqualTo(IntegrationTopics.SUBJECT_ERASED);
    assertThat(last.header("eventId")).isEqualTo(erased.id());
    assertThat(daves.stream().map(r -> r.header("eventType")))
        .containsSubsequence(
            "ConsentGranted",
            "ConsentWithdrawn",
            "ErasureRequested",
            "ErasureCancelled",
            "ErasureRequested",
            "SubjectErased");
    // Each subject record says all of the subject's consents as of its event.
    assertThat(consentsIn(daves, "ConsentGranted").get("ANALYTICS").asBoolean()).isTrue();
    assertThat(consentsIn(daves, "ConsentWithdrawn").get("ANALYTICS").asBoolean()).isFalse();
    assertThat(fieldNames(consentsIn(daves, "ErasureCancelled")))
        .containsExactly("CARD_GENERATION", "ANALYTICS", "AI_PROCESSING");
  }

  @Test
  void theTopicsExist_withTheDocumentedPartitionsAndCleanupPolicy() throws Exception {
    try (Admin admin = admin()) {
      Map<String, TopicDescription> topics =
          admin.describeTopics(IntegrationTopics.ALL).allTopicNames().get();
      assertThat(topics).containsOnlyKeys(IntegrationTopics.ALL);
      topics.values().forEach(t -> assertThat(t.partitions()).as(t.name()).hasSize(6));
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  IntegrationTopics.ALL.stream()
                      .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                      .toList())
              .all()
              .get();
      configs.forEach(
          (topic, config) ->
              assertThat(config.get("cleanup.policy").value())
                  .as(topic.name())
                  .isEqualTo(
                      topic.name().equals(IntegrationTopics.SUBJECTS) ? "compact" : "delete"));
    }
  }

  @Test
  void metrics_countRecordsByTopic_timeThem_andTheLagFallsToZero() {
    MeterRegistry meters = node.getBean(MeterRegistry.class);
    long conversationEvents =
        stored.stream()
            .filter(e -> IntegrationTopics.CONVERSATIONS.equals(TOPIC_OF.get(e.type())))
            .count();
    assertThat(
            meters
                .get("parley.integration.published")
                .tag("topic", IntegrationTopics.CONVERSATIONS)
                .counter()
                .count())
        .isGreaterThanOrEqualTo(conversationEvents);
    assertThat(
            meters
                .get("parley.integration.published")
                .tag("topic", IntegrationTopics.SUBJECTS)
                .counter()
                .count())
        .isGreaterThanOrEqualTo(6);
    assertThat(meters.get("parley.integration.publish.latency").timer().count())
        .isGreaterThanOrEqualTo(
            stored.stream().filter(e -> TOPIC_OF.containsKey(e.type())).count());
    System.gc(); // the gauge must survive a collection (Micrometer holds gauges weakly by default)
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        meters
                            .get(ProcessorLag.METER)
                            .tag("processor", KafkaIntegrationPublisher.PROCESSING_GROUP)
                            .gauge()
                            .value())
                    .isZero());
  }

  // --- helpers

  static ApiClient.Response created(ApiClient.Response response) {
    assertThat(response.status()).as(response.body()).isIn(200, 201);
    return response;
  }

  static List<StoredEvent> storedEvents(JdbcTemplate jdbc) {
    return jdbc.query(
        "select event_identifier, payload_type, global_index, aggregate_identifier"
            + " from domain_event_entry order by global_index",
        (row, i) ->
            new StoredEvent(row.getString(1), row.getString(2), row.getLong(3), row.getString(4)));
  }

  static void awaitTopics() {
    try (Admin admin = admin()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin.listTopics().names().get().containsAll(IntegrationTopics.ALL));
    }
  }

  static Admin admin() {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
  }

  static String requestCard(ApiClient api, String token, String room) {
    ApiClient.Response requested = api.send("POST", room + "/cards", token, null, null, Map.of());
    assertThat(requested.status()).as(requested.body()).isEqualTo(202);
    return requested.json().get("cardId").asText();
  }

  /** The records on the cards topic under this card's key, in the order they arrived. */
  static List<Received> cardRecords(String cardId) {
    return records.stream()
        .filter(r -> r.topic().equals(IntegrationTopics.CARDS))
        .filter(r -> cardId.equals(r.keyText()))
        .toList();
  }

  static Received first(List<Received> records, String type) {
    return records.stream()
        .filter(r -> type.equals(r.header("eventType")))
        .findFirst()
        .orElseThrow();
  }

  List<Received> recordsOf(String eventId) {
    return records.stream().filter(r -> eventId.equals(r.header("eventId"))).toList();
  }

  static JsonNode json(Received record) {
    try {
      return JSON.readTree(record.value());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode consentsIn(List<Received> records, String type) {
    return json(records.stream()
            .filter(r -> type.equals(r.header("eventType")))
            .findFirst()
            .orElseThrow())
        .get("consents");
  }

  static List<String> fieldNames(JsonNode value) {
    List<String> names = new ArrayList<>();
    value.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static String simpleName(String type) {
    return type.substring(type.lastIndexOf('.') + 1);
  }
}
