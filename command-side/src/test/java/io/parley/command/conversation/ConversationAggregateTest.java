package io.parley.command.conversation;

import io.parley.api.conversation.AddParticipantCommand;
import io.parley.api.conversation.ChangeModerationThresholdsCommand;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageSendResult;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.conversation.SendMessageCommand;
import io.parley.api.conversation.StartConversationCommand;
import io.parley.api.conversation.Verdict;
import io.parley.api.error.ForbiddenException;
import io.parley.api.error.InvalidInputException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversationAggregateTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
  static final UUID MESSAGE = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  static final BigDecimal WARN = new BigDecimal("0.6");
  static final BigDecimal BLOCK = new BigDecimal("0.8");

  AggregateTestFixture<ConversationAggregate> fixture;
  InMemoryClientMessageRegistry registry;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(ConversationAggregate.class);
    registry = new InMemoryClientMessageRegistry();
    fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    fixture.registerInjectableResource(registry);
  }

  static ConversationStartedEvent started() {
    return new ConversationStartedEvent(
        ID, "alice", "Lunch", new LinkedHashSet<>(List.of("alice", "bob")), WARN, BLOCK, NOW);
  }

  // --- starting

  @Test
  void startConversation_ownerBecomesParticipant_withDefaultThresholds() {
    fixture
        .givenNoPriorActivity()
        .when(new StartConversationCommand(ID, "alice", "  Lunch  ", Set.of("bob")))
        .expectSuccessfulHandlerExecution()
        .expectEvents(started());
  }

  @Test
  void startConversation_rejectsBlankTitle() {
    fixture
        .givenNoPriorActivity()
        .when(new StartConversationCommand(ID, "alice", "   ", Set.of()))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void startConversation_rejectsMissingTitle() {
    fixture
        .givenNoPriorActivity()
        .when(new StartConversationCommand(ID, "alice", null, Set.of()))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void startConversation_rejectsTitleOver200Characters() {
    fixture
        .givenNoPriorActivity()
        .when(new StartConversationCommand(ID, "alice", "t".repeat(201), Set.of()))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void startConversation_rejectsInvalidParticipantId() {
    fixture
        .givenNoPriorActivity()
        .when(new StartConversationCommand(ID, "alice", "t", Set.of("no spaces allowed")))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void startConversation_rejectsMoreThanAThousandParticipants() {
    Set<String> crowd = IntStream.range(0, 1000).mapToObj(i -> "u" + i).collect(Collectors.toSet());
    fixture
        .givenNoPriorActivity()
        .when(new StartConversationCommand(ID, "alice", "t", crowd)) // + alice = 1001
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  // --- participants

  @Test
  void addParticipant_byParticipant_addsThem() {
    fixture
        .given(started())
        .when(new AddParticipantCommand(ID, "bob", "dave"))
        .expectEvents(new ParticipantAddedEvent(ID, "dave", "bob", NOW));
  }

  @Test
  void addParticipant_alreadyParticipant_changesNothing() {
    fixture
        .given(started())
        .when(new AddParticipantCommand(ID, "alice", "bob"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void addParticipant_rejectsNonParticipant() {
    fixture
        .given(started())
        .when(new AddParticipantCommand(ID, "mallory", "dave"))
        .expectException(ForbiddenException.class)
        .expectNoEvents();
  }

  @Test
  void addParticipant_rejectsInvalidUserId() {
    fixture
        .given(started())
        .when(new AddParticipantCommand(ID, "alice", "bad id"))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  // --- messages

  @Test
  void sendMessage_byParticipant_isAllowedTrimmedAndNumbered() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "  hi  ", null))
        .expectResultMessagePayload(
            new MessageSendResult(MESSAGE, Verdict.ALLOWED, BigDecimal.ZERO))
        .expectEvents(
            new MessageSentEvent(
                ID, MESSAGE, 1, "bob", "hi", Verdict.ALLOWED, BigDecimal.ZERO, NOW));
  }

  @Test
  void sendMessage_positionFollowsPreviousMessages() {
    fixture
        .given(
            started(),
            new MessageSentEvent(
                ID, UUID.randomUUID(), 1, "alice", "a", Verdict.ALLOWED, BigDecimal.ZERO, NOW),
            new MessageSentEvent(
                ID, UUID.randomUUID(), 2, "bob", "b", Verdict.ALLOWED, BigDecimal.ZERO, NOW))
        .when(new SendMessageCommand(ID, MESSAGE, "alice", "c", null))
        .expectEvents(
            new MessageSentEvent(
                ID, MESSAGE, 3, "alice", "c", Verdict.ALLOWED, BigDecimal.ZERO, NOW));
  }

  @Test
  void sendMessage_rejectsNonParticipant() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "mallory", "hi", null))
        .expectException(ForbiddenException.class)
        .expectNoEvents();
  }

  @Test
  void sendMessage_rejectsBlankText() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", " \n\t ", null))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void sendMessage_rejectsMissingText() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", null, null))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void sendMessage_rejectsTextOver10000CharactersAfterTrimming() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "x".repeat(10_001), null))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void sendMessage_accepts10000CharactersAfterTrimming() {
    String text = "x".repeat(10_000);
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "  " + text + "  ", null))
        .expectEvents(
            new MessageSentEvent(
                ID, MESSAGE, 1, "bob", text, Verdict.ALLOWED, BigDecimal.ZERO, NOW));
  }

  @Test
  void sendMessage_withNewClientMessageId_recordsTheOutcome() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "hi", "k-1"))
        .expectEvents(
            new MessageSentEvent(
                ID, MESSAGE, 1, "bob", "hi", Verdict.ALLOWED, BigDecimal.ZERO, NOW));
    org.assertj.core.api.Assertions.assertThat(registry.find(ID, "bob", "k-1"))
        .contains(new MessageSendResult(MESSAGE, Verdict.ALLOWED, BigDecimal.ZERO));
  }

  @Test
  void sendMessage_retryWithSameClientMessageId_answersFirstResult_andAppendsNothing() {
    MessageSendResult first = new MessageSendResult(MESSAGE, Verdict.ALLOWED, BigDecimal.ZERO);
    registry.register(ID, "bob", "k-1", first);
    fixture
        .given(
            started(),
            new MessageSentEvent(
                ID, MESSAGE, 1, "bob", "hi", Verdict.ALLOWED, BigDecimal.ZERO, NOW))
        .when(new SendMessageCommand(ID, UUID.randomUUID(), "bob", "hi", "k-1"))
        .expectResultMessagePayload(first)
        .expectNoEvents();
  }

  // --- moderation thresholds

  @Test
  void changeThresholds_byOwner_recordsThem() {
    fixture
        .given(started())
        .when(
            new ChangeModerationThresholdsCommand(
                ID, "alice", false, new BigDecimal("0.3"), new BigDecimal("0.5")))
        .expectEvents(
            new ModerationThresholdsChangedEvent(
                ID, new BigDecimal("0.3"), new BigDecimal("0.5"), "alice", NOW));
  }

  @Test
  void changeThresholds_byModeratorWhoIsNotOwner_recordsThem() {
    fixture
        .given(started())
        .when(
            new ChangeModerationThresholdsCommand(
                ID, "mod", true, new BigDecimal("0.3"), new BigDecimal("1")))
        .expectEvents(
            new ModerationThresholdsChangedEvent(
                ID, new BigDecimal("0.3"), new BigDecimal("1"), "mod", NOW));
  }

  @Test
  void changeThresholds_rejectsParticipantWhoIsNotOwner() {
    fixture
        .given(started())
        .when(
            new ChangeModerationThresholdsCommand(
                ID, "bob", false, new BigDecimal("0.3"), new BigDecimal("0.5")))
        .expectException(ForbiddenException.class)
        .expectNoEvents();
  }

  @Test
  void changeThresholds_rejectsThresholdsBreakingTheRule() {
    for (String[] pair :
        new String[][] {
          {"0", "0.5"}, {"0.5", "0.5"}, {"0.7", "0.5"}, {"0.5", "1.01"}, {"-0.1", "0.5"}
        }) {
      fixture
          .given(started())
          .when(
              new ChangeModerationThresholdsCommand(
                  ID, "alice", false, new BigDecimal(pair[0]), new BigDecimal(pair[1])))
          .expectException(InvalidInputException.class)
          .expectNoEvents();
    }
  }

  @Test
  void changeThresholds_unchanged_recordsNothing() {
    fixture
        .given(started())
        .when(new ChangeModerationThresholdsCommand(ID, "alice", false, WARN, BLOCK))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  /**
   * A one-class test double of the registry port (the JDBC one is covered by ConversationApiIT).
   */
  static final class InMemoryClientMessageRegistry implements ClientMessageRegistry {
    private final Map<String, MessageSendResult> results = new ConcurrentHashMap<>();

    @Override
    public Optional<MessageSendResult> find(
        UUID conversationId, String senderId, String clientMessageId) {
      return Optional.ofNullable(
          results.get(conversationId + "/" + senderId + "/" + clientMessageId));
    }

    @Override
    public void register(
        UUID conversationId, String senderId, String clientMessageId, MessageSendResult result) {
      results.putIfAbsent(conversationId + "/" + senderId + "/" + clientMessageId, result);
    }
  }
}
