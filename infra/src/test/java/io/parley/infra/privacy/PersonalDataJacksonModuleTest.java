package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.api.privacy.DataCategory;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage ObjectMapper's handling of {@code @PersonalData}, over an in-memory key store: the
 * events of {@code api-contracts} as Axon's serializer writes and reads them, without Spring.
 */
class PersonalDataJacksonModuleTest {

  // Long past, so that a key dated "now" instead of by the event could not be the same month.
  static final Instant OCTOBER = Instant.parse("2020-10-31T23:59:59Z");
  static final Instant NOVEMBER = Instant.parse("2020-11-01T00:00:00Z");

  InMemoryDataKeyStore keys;
  ObjectMapper storage;

  @BeforeEach
  void storageMapperOverAnEmptyStore() {
    keys = new InMemoryDataKeyStore();
    storage =
        plainMapper()
            .registerModule(
                new PersonalDataJacksonModule(
                    new PersonalDataCipher(keys, new SimpleMeterRegistry())));
  }

  /** Like the application's HTTP mapper, which the storage mapper copies (PrivacyConfig). */
  static ObjectMapper plainMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }

  static MessageSentEvent sent(String sender, String text, Instant sentAt) {
    return new MessageSentEvent(
        UUID.randomUUID(),
        UUID.randomUUID(),
        7,
        sender,
        text,
        Verdict.WARNED,
        new BigDecimal("0.650"),
        ToxicityScores.of(0.65, 0.1, 0.2, 0.05),
        "test-scorer",
        sentAt);
  }

  @Test
  void serialize_writesNoClearText_andTheTextAsAnEnvelopeUnderTheSendersKeyOfTheMonthSent()
      throws Exception {
    String secret = "meet me at the old mill " + UUID.randomUUID();
    String json = storage.writeValueAsString(sent("alice", secret, OCTOBER));

    assertThat(json).doesNotContain(secret).doesNotContain("old mill");
    assertThat(storage.readTree(json).get("text").asText())
        .startsWith("pd1:alice:MESSAGE:2020-10:");
  }

  @Test
  void serialize_everyPersonalFieldOfAnEvent_isEncrypted() throws Exception {
    FlagRaisedEvent flag =
        new FlagRaisedEvent(
            UUID.randomUUID(),
            UUID.randomUUID(),
            UUID.randomUUID(),
            "bob",
            "carol",
            "REASON-SECRET",
            "NOTE-SECRET",
            BigDecimal.ZERO,
            NOVEMBER);
    String json = storage.writeValueAsString(flag);

    assertThat(json).doesNotContain("REASON-SECRET").doesNotContain("NOTE-SECRET");
    assertThat(storage.readTree(json).get("reason").asText())
        .startsWith("pd1:carol:FLAG_EVIDENCE:2020-11:");
    assertThat(storage.readTree(json).get("note").asText())
        .startsWith("pd1:carol:FLAG_EVIDENCE:2020-11:");
    assertThat(storage.readValue(json, FlagRaisedEvent.class)).isEqualTo(flag);
  }

  @Test
  void serialize_leavesEveryOtherFieldAsItIsWrittenWithoutTheModule() throws Exception {
    MessageSentEvent event = sent("alice", "hello", OCTOBER);
    ObjectNode encrypted = (ObjectNode) storage.valueToTree(event);
    ObjectNode plain = (ObjectNode) plainMapper().valueToTree(event);

    assertThat(encrypted.remove("text").asText()).startsWith("pd1:");
    assertThat(plain.remove("text").asText()).isEqualTo("hello");
    assertThat(encrypted).isEqualTo(plain);
    assertThat(encrypted.get("senderId").asText()).isEqualTo("alice");
  }

  @Test
  void deserialize_restoresTheClearText() throws Exception {
    MessageSentEvent event = sent("alice", "hello, Bob", OCTOBER);
    String json = storage.writeValueAsString(event);
    assertThat(storage.readValue(json, MessageSentEvent.class)).isEqualTo(event);
  }

  @Test
  void deserialize_afterTheSendersKeysAreDestroyed_readsTheTextAsNull_andKeepsTheRest()
      throws Exception {
    MessageSentEvent alices = sent("alice", "erase me", OCTOBER);
    MessageSentEvent bobs = sent("bob", "keep me", OCTOBER);
    String alicesJson = storage.writeValueAsString(alices);
    String bobsJson = storage.writeValueAsString(bobs);

    keys.shredAllKeysOf("alice");

    MessageSentEvent erased = storage.readValue(alicesJson, MessageSentEvent.class);
    assertThat(erased.text()).isNull();
    assertThat(erased).usingRecursiveComparison().ignoringFields("text").isEqualTo(alices);
    assertThat(storage.readValue(bobsJson, MessageSentEvent.class)).isEqualTo(bobs);
  }

  @Test
  void deserialize_afterRetentionDestroysTheMonthSent_readsThatTextAsNull_butNotNewerOnes()
      throws Exception {
    String october = storage.writeValueAsString(sent("alice", "october", OCTOBER));
    String november = storage.writeValueAsString(sent("alice", "november", NOVEMBER));

    keys.destroyExpired(DataCategory.MESSAGE, YearMonth.of(2020, 11));

    assertThat(storage.readValue(october, MessageSentEvent.class).text()).isNull();
    assertThat(storage.readValue(november, MessageSentEvent.class).text()).isEqualTo("november");
  }

  @Test
  void conversationTitle_isTheOwnersProfileData_erasedWithTheOwnerOnly() throws Exception {
    ConversationStartedEvent started =
        new ConversationStartedEvent(
            UUID.randomUUID(),
            "olivia",
            "OLIVIA'S ROOM",
            Set.of("olivia", "bob"),
            new BigDecimal("0.6"),
            new BigDecimal("0.8"),
            OCTOBER);
    String json = storage.writeValueAsString(started);
    assertThat(json).doesNotContain("OLIVIA'S ROOM").contains("\"pd1:olivia:PROFILE:0000-00:");

    keys.shredAllKeysOf("bob");
    keys.destroyExpired(DataCategory.PROFILE, YearMonth.of(9999, 12));
    assertThat(storage.readValue(json, ConversationStartedEvent.class)).isEqualTo(started);

    keys.shredAllKeysOf("olivia");
    assertThat(storage.readValue(json, ConversationStartedEvent.class).title()).isNull();
  }

  @Test
  void cardText_isEveryContributorsData_erasedWithAnyOneOfThem() throws Exception {
    io.parley.api.card.CardGeneratedEvent card =
        new io.parley.api.card.CardGeneratedEvent(
            UUID.randomUUID(),
            UUID.randomUUID(),
            io.parley.api.card.Rarity.RARE,
            0.5,
            0.8,
            "LAKE DAY",
            "WHAT A DAY AT THE LAKE",
            List.of("alice", "bob"),
            2,
            "ab".repeat(32),
            "<svg/>",
            "builtin",
            null,
            null,
            null,
            OCTOBER);
    String json = storage.writeValueAsString(card);
    assertThat(json).doesNotContain("LAKE").contains("\"title\":\"pds1:pd1:alice:MESSAGE:");
    assertThat(storage.readValue(json, io.parley.api.card.CardGeneratedEvent.class))
        .isEqualTo(card);

    keys.shredAllKeysOf("bob");
    io.parley.api.card.CardGeneratedEvent read =
        storage.readValue(json, io.parley.api.card.CardGeneratedEvent.class);
    assertThat(read.title()).isNull();
    assertThat(read.caption()).isNull();
    assertThat(read.rarity()).isEqualTo(card.rarity());
    assertThat(read.contributorIds()).containsExactly("alice", "bob");
  }

  @Test
  void deserialize_clearTextWrittenBeforeEncryptionExisted_readsAsItIs() throws Exception {
    MessageSentEvent event = sent("alice", "from before encryption", OCTOBER);
    String legacy = plainMapper().writeValueAsString(event);
    assertThat(storage.readValue(legacy, MessageSentEvent.class)).isEqualTo(event);
  }

  @Test
  void serialize_aNullPersonalField_writesNull_andCreatesNoKey() throws Exception {
    MessageSentEvent erased = sent("alice", null, OCTOBER);
    String json = storage.writeValueAsString(erased);

    assertThat(storage.readTree(json).get("text").isNull()).isTrue();
    assertThat(storage.readValue(json, MessageSentEvent.class)).isEqualTo(erased);
    assertThat(keys.shredAllKeysOf("alice")).isZero();
  }
}
