package io.parley.command.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.card.CardTrigger;
import io.parley.api.card.RequestCardCommand;
import io.parley.api.conversation.AddParticipantCommand;
import io.parley.api.conversation.ChangeModerationThresholdsCommand;
import io.parley.api.conversation.ConversationLimits;
import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSendResult;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.conversation.SendMessageCommand;
import io.parley.api.conversation.StartConversationCommand;
import io.parley.api.conversation.Verdict;
import io.parley.api.error.ForbiddenException;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.RateLimitedException;
import io.parley.api.error.RuleViolationException;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.command.card.AutomaticCards;
import io.parley.command.moderation.ToxicityAssessment;
import io.parley.command.moderation.ToxicityScorer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.RepositoryProvider;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.hamcrest.FeatureMatcher;
import org.hamcrest.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.converter.json.Jackson2ObjectMapperBuilder;

class ConversationAggregateTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
  static final UUID MESSAGE = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  static final BigDecimal WARN = new BigDecimal("0.6");
  static final BigDecimal BLOCK = new BigDecimal("0.8");

  static final BigDecimal ZERO = ToxicityScores.NONE.highest();
  static final String SCORER = "fixed";

  AggregateTestFixture<ConversationAggregate> fixture;
  InMemoryClientMessageRegistry registry;
  FixedToxicityScorer scorer;
  EmbeddedEventStore otherAggregates;
  MovableClock clock;

  /** The production default: 30 a minute, one slot back every 2 s. */
  static final SendRateLimit LIMIT = new SendRateLimit(30, Duration.ofMinutes(1));

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(ConversationAggregate.class);
    registry = new InMemoryClientMessageRegistry();
    clock = new MovableClock(NOW);
    fixture.registerInjectableResource(clock);
    fixture.registerInjectableResource(registry);
    otherAggregates =
        EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    scorer = new FixedToxicityScorer();
    fixture.registerInjectableResource(scorer);
    fixture.registerInjectableResource(LIMIT);
    fixture.registerInjectableResource(new AutomaticCards(EVERY));
    fixture.registerRepositoryProvider(
        new RepositoryProvider() {
          @Override
          public <T> Repository<T> repositoryFor(Class<T> aggregateType) {
            // Other aggregates created by the conversation (automatic flags) get their own store:
            // the fixture's store accepts only the aggregate under test.
            return EventSourcingRepository.builder(aggregateType)
                .eventStore(otherAggregates)
                .build();
          }
        });
  }

  static MessageSentEvent sent(UUID messageId, long position, String senderId, String text) {
    return sentAt(NOW, messageId, position, senderId, text);
  }

  static MessageSentEvent sentAt(
      Instant at, UUID messageId, long position, String senderId, String text) {
    return new MessageSentEvent(
        ID,
        messageId,
        position,
        senderId,
        text,
        Verdict.ALLOWED,
        ZERO,
        ToxicityScores.NONE,
        SCORER,
        at);
  }

  /** Automatic cards every this many delivered messages in these tests. */
  static final int EVERY = 4;

  static final UUID CARD = UUID.fromString("7c9e6679-7425-40de-944b-e07fc1f90ae7");

  static ConversationStartedEvent started() {
    return new ConversationStartedEvent(
        ID, "alice", "Lunch", new LinkedHashSet<>(List.of("alice", "bob")), WARN, BLOCK, NOW);
  }

  // --- cards

  @Test
  void requestCard_byParticipant_coversTheMessagesSoFar_andAnswersTheCardId() {
    fixture
        .given(
            started(),
            sent(UUID.randomUUID(), 1, "alice", "a"),
            sent(UUID.randomUUID(), 2, "bob", "b"))
        .when(new RequestCardCommand(ID, CARD, "bob"))
        .expectResultMessagePayload(CARD)
        .expectEvents(new CardRequestedEvent(CARD, ID, 1, CardTrigger.REQUESTED, "bob", 0, 2, NOW));
  }

  @Test
  void requestCard_drawsOnTheMessagesSinceThePreviousCard() {
    UUID earlier = UUID.randomUUID();
    fixture
        .given(
            started(),
            sent(UUID.randomUUID(), 1, "alice", "a"),
            sent(UUID.randomUUID(), 2, "bob", "b"),
            new CardRequestedEvent(earlier, ID, 1, CardTrigger.REQUESTED, "alice", 0, 2, NOW),
            sent(UUID.randomUUID(), 3, "bob", "c"))
        .when(new RequestCardCommand(ID, CARD, "alice"))
        .expectEvents(
            new CardRequestedEvent(CARD, ID, 2, CardTrigger.REQUESTED, "alice", 2, 3, NOW));
  }

  @Test
  void requestCard_byNonParticipant_isRefused() {
    fixture
        .given(started())
        .when(new RequestCardCommand(ID, CARD, "mallory"))
        .expectException(ForbiddenException.class)
        .expectNoEvents();
  }

  @Test
  void everyNthDeliveredMessage_requestsACardAutomatically_inTheSameUnitOfWork() {
    UUID cardId = AutomaticCards.cardIdFor(ID, 1);
    fixture
        .given(
            started(),
            sent(UUID.randomUUID(), 1, "alice", "a"),
            sent(UUID.randomUUID(), 2, "bob", "b"),
            sent(UUID.randomUUID(), 3, "alice", "c"))
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "d", null))
        .expectEvents(
            sent(MESSAGE, 4, "bob", "d"),
            new CardRequestedEvent(cardId, ID, 1, CardTrigger.AUTOMATIC, null, 0, 4, NOW));
  }

  @Test
  void aBlockedMessage_isNotDelivered_andRequestsNoCard() {
    ToxicityScores scores = ToxicityScores.of(0.5, 0.1, 0.2, 0.8);
    scorer.score("threat", scores);
    fixture
        .given(
            started(),
            sent(UUID.randomUUID(), 1, "alice", "a"),
            sent(UUID.randomUUID(), 2, "bob", "b"),
            sent(UUID.randomUUID(), 3, "alice", "c"))
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "threat", null))
        .expectEvents(new MessageBlockedEvent(ID, MESSAGE, "bob", "threat", scores, SCORER, NOW));
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

  @Test
  void addParticipant_toAFullConversation_isRefusedByTheRule() {
    Set<String> full = new LinkedHashSet<>(List.of("alice"));
    IntStream.range(1, ConversationLimits.PARTICIPANTS_MAX).forEach(i -> full.add("u" + i));
    fixture
        .given(new ConversationStartedEvent(ID, "alice", "Lunch", full, WARN, BLOCK, NOW))
        .when(new AddParticipantCommand(ID, "alice", "one-more"))
        .expectException(RuleViolationException.class)
        .expectNoEvents();
  }

  // --- messages

  @Test
  void sendMessage_byParticipant_isAllowedTrimmedAndNumbered() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "  hi  ", null))
        .expectResultMessagePayload(new MessageSendResult(MESSAGE, Verdict.ALLOWED, ZERO))
        .expectEvents(sent(MESSAGE, 1, "bob", "hi"));
  }

  @Test
  void sendMessage_positionFollowsPreviousMessages() {
    fixture
        .given(
            started(),
            sent(UUID.randomUUID(), 1, "alice", "a"),
            sent(UUID.randomUUID(), 2, "bob", "b"))
        .when(new SendMessageCommand(ID, MESSAGE, "alice", "c", null))
        .expectEvents(sent(MESSAGE, 3, "alice", "c"));
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
        .expectEvents(sent(MESSAGE, 1, "bob", text));
  }

  @Test
  void sendMessage_withNewClientMessageId_recordsTheOutcome() {
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "hi", "k-1"))
        .expectEvents(sent(MESSAGE, 1, "bob", "hi"));
    org.assertj.core.api.Assertions.assertThat(registry.find(ID, "bob", "k-1"))
        .contains(new MessageSendResult(MESSAGE, Verdict.ALLOWED, ZERO));
  }

  @Test
  void sendMessage_retryWithSameClientMessageId_answersFirstResult_andAppendsNothing() {
    MessageSendResult first = new MessageSendResult(MESSAGE, Verdict.ALLOWED, ZERO);
    registry.register(ID, "bob", "k-1", first);
    fixture
        .given(started(), sent(MESSAGE, 1, "bob", "hi"))
        .when(new SendMessageCommand(ID, UUID.randomUUID(), "bob", "hi", "k-1"))
        .expectResultMessagePayload(first)
        .expectNoEvents();
  }

  // --- scoring and verdicts

  @Test
  void sendMessage_belowWarn_isAllowed_withScoresAndScorerRecorded() {
    scorer.score("fine", ToxicityScores.of(0.1, 0.0, 0.2, 0.0));
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "fine", null))
        .expectResultMessagePayload(
            new MessageSendResult(MESSAGE, Verdict.ALLOWED, new BigDecimal("0.200")))
        .expectEvents(
            new MessageSentEvent(
                ID,
                MESSAGE,
                1,
                "bob",
                "fine",
                Verdict.ALLOWED,
                new BigDecimal("0.200"),
                ToxicityScores.of(0.1, 0.0, 0.2, 0.0),
                SCORER,
                NOW));
  }

  @Test
  void sendMessage_atWarn_isDeliveredWarned_andFlaggedAutomatically() {
    ToxicityScores scores = ToxicityScores.of(0.6, 0.1, 0.3, 0.0);
    scorer.score("rude", scores);
    BigDecimal toxicity = new BigDecimal("0.600");
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "rude", null))
        .expectResultMessagePayload(new MessageSendResult(MESSAGE, Verdict.WARNED, toxicity))
        .expectEvents(
            new MessageSentEvent(
                ID, MESSAGE, 1, "bob", "rude", Verdict.WARNED, toxicity, scores, SCORER, NOW));
    UUID flagId = FlagRaisedAutomaticallyEvent.flagIdFor(MESSAGE);
    org.assertj.core.api.Assertions.assertThat(
            otherAggregates
                .readEvents(flagId.toString())
                .asStream()
                .map(e -> (Object) e.getPayload()))
        .containsExactly(
            new FlagRaisedAutomaticallyEvent(flagId, MESSAGE, ID, "bob", toxicity, SCORER, NOW));
  }

  @Test
  void sendMessage_belowWarn_raisesNoFlag() {
    scorer.score("meh", ToxicityScores.of(0.599, 0, 0, 0));
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "meh", null))
        .expectSuccessfulHandlerExecution();
    org.assertj.core.api.Assertions.assertThat(
            otherAggregates
                .readEvents(FlagRaisedAutomaticallyEvent.flagIdFor(MESSAGE).toString())
                .asStream())
        .isEmpty();
  }

  @Test
  void sendMessage_atBlock_isBlocked_notNumbered_andNotFlagged() {
    ToxicityScores scores = ToxicityScores.of(0.5, 0.1, 0.2, 0.8);
    scorer.score("threat", scores);
    fixture
        .given(started(), sent(UUID.randomUUID(), 1, "alice", "a"))
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "threat", null))
        .expectResultMessagePayload(
            new MessageSendResult(MESSAGE, Verdict.BLOCKED, new BigDecimal("0.800")))
        .expectEvents(new MessageBlockedEvent(ID, MESSAGE, "bob", "threat", scores, SCORER, NOW));
  }

  @Test
  void sendMessage_afterBlockedMessage_takesTheNextPosition() {
    fixture
        .given(
            started(),
            new MessageBlockedEvent(
                ID, UUID.randomUUID(), "bob", "x", ToxicityScores.of(1, 1, 1, 1), SCORER, NOW))
        .when(new SendMessageCommand(ID, MESSAGE, "alice", "after", null))
        .expectEvents(sent(MESSAGE, 1, "alice", "after"));
  }

  @Test
  void sendMessage_usesTheConversationsOwnThresholds() {
    scorer.score("mild", ToxicityScores.of(0.35, 0, 0, 0));
    fixture
        .given(
            started(),
            new ModerationThresholdsChangedEvent(
                ID, new BigDecimal("0.2"), new BigDecimal("0.3"), "alice", NOW))
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "mild", null))
        .expectResultMessagePayload(
            new MessageSendResult(MESSAGE, Verdict.BLOCKED, new BigDecimal("0.350")));
  }

  @Test
  void sendMessage_recordsAScorerFallbackInTheEventMetadata() {
    scorer.fallback("perspective:timeout");
    fixture
        .given(started())
        .when(new SendMessageCommand(ID, MESSAGE, "bob", "hi", null))
        .expectEventsMatching(
            org.axonframework.test.matchers.Matchers.exactSequenceOf(
                org.axonframework.test.matchers.Matchers.predicate(
                    (org.axonframework.eventhandling.EventMessage<?> event) ->
                        event
                            .getMetaData()
                            .equals(
                                MetaData.with(ConversationAggregate.SCORER_METADATA, SCORER)
                                    .and(
                                        ConversationAggregate.SCORER_FALLBACK_METADATA,
                                        "perspective:timeout")))));
  }

  // --- rate limit (30 a minute: a burst of 30, then one slot back every 2 s)

  /** The conversation, then {@code count} messages from {@code senderId}, all at {@code at}. */
  static List<Object> startedAndSent(String senderId, int count, Instant at) {
    List<Object> events = new ArrayList<>();
    events.add(started());
    for (int i = 1; i <= count; i++) {
      events.add(sentAt(at, UUID.randomUUID(), i, senderId, "m" + i));
    }
    return events;
  }

  static SendMessageCommand send(String senderId, String text) {
    return new SendMessageCommand(ID, MESSAGE, senderId, text, null);
  }

  static Matcher<RateLimitedException> rateLimitedRetryingAfter(long seconds) {
    return new FeatureMatcher<>(
        equalTo(Duration.ofSeconds(seconds)), "rate limited, Retry-After", "retryAfter") {
      @Override
      protected Duration featureValueOf(RateLimitedException refused) {
        return refused.retryAfter();
      }
    };
  }

  @Test
  void sendMessage_theWholeBurstIsAllowed() {
    fixture
        .given(startedAndSent("bob", 29, NOW))
        .when(send("bob", "the 30th"))
        .expectEvents(sent(MESSAGE, 30, "bob", "the 30th"));
  }

  @Test
  void sendMessage_overTheRateLimit_isRefusedWithRetryAfter_andAppendsNothing() {
    fixture
        .given(startedAndSent("bob", 30, NOW))
        .when(send("bob", "the 31st"))
        .expectException(rateLimitedRetryingAfter(2))
        .expectExceptionMessage(
            "Too many messages: at most 30 per PT1M from one sender into one conversation")
        .expectNoEvents();
  }

  @Test
  void sendMessage_overTheRateLimit_retryAfterIsRoundedUpToWholeSeconds() {
    clock.set(NOW.plusMillis(1_500));
    fixture
        .given(startedAndSent("bob", 30, NOW))
        .when(send("bob", "too early"))
        .expectException(rateLimitedRetryingAfter(1))
        .expectNoEvents();
  }

  @Test
  void sendMessage_aSlotComesBackAfterOneInterval() {
    clock.set(NOW.plus(LIMIT.interval()));
    fixture
        .given(startedAndSent("bob", 30, NOW))
        .when(send("bob", "later"))
        .expectEvents(sentAt(NOW.plus(LIMIT.interval()), MESSAGE, 31, "bob", "later"));
  }

  @Test
  void sendMessage_aSlotThatCameBackIsTakenAgain() {
    Instant later = NOW.plus(LIMIT.interval());
    clock.set(later);
    List<Object> history = startedAndSent("bob", 30, NOW);
    history.add(sentAt(later, UUID.randomUUID(), 31, "bob", "later"));
    fixture
        .given(history)
        .when(send("bob", "again"))
        .expectException(rateLimitedRetryingAfter(2))
        .expectNoEvents();
  }

  @Test
  void sendMessage_blockedMessagesTakeSlotsToo() {
    List<Object> history = startedAndSent("bob", 29, NOW);
    history.add(
        new MessageBlockedEvent(
            ID, UUID.randomUUID(), "bob", "threat", ToxicityScores.of(0.9, 0, 0, 0), SCORER, NOW));
    fixture
        .given(history)
        .when(send("bob", "one more"))
        .expectException(rateLimitedRetryingAfter(2))
        .expectNoEvents();
  }

  @Test
  void sendMessage_theLimitIsPerSender() {
    fixture
        .given(startedAndSent("bob", 30, NOW))
        .when(send("alice", "my turn"))
        .expectEvents(sent(MESSAGE, 31, "alice", "my turn"));
  }

  @Test
  void sendMessage_aBudgetLongRefilledLimitsNothing() {
    // Messages long ago: the budget is full again, a whole new burst is allowed.
    clock.set(NOW.plus(Duration.ofHours(1)));
    List<Object> history = startedAndSent("bob", 30, NOW);
    for (int i = 31; i <= 59; i++) {
      history.add(sentAt(NOW.plus(Duration.ofHours(1)), UUID.randomUUID(), i, "bob", "m" + i));
    }
    fixture
        .given(history)
        .when(send("bob", "the 30th of the new burst"))
        .expectEvents(
            sentAt(NOW.plus(Duration.ofHours(1)), MESSAGE, 60, "bob", "the 30th of the new burst"),
            // (the 60th message is also due an automatic card)
            new CardRequestedEvent(
                AutomaticCards.cardIdFor(ID, 1),
                ID,
                1,
                CardTrigger.AUTOMATIC,
                null,
                0,
                60,
                NOW.plus(Duration.ofHours(1))));
  }

  @Test
  void sendMessage_overTheRateLimit_decidedFromCommandsAsFromEvents() {
    // The same history, once handled live (the command handler applies its events), once only
    // read back from the events: the same refusal, the same Retry-After.
    fixture
        .givenCommands(
            Stream.concat(
                    Stream.of(new StartConversationCommand(ID, "alice", "Lunch", Set.of("bob"))),
                    IntStream.range(0, 30)
                        .mapToObj(
                            i ->
                                new SendMessageCommand(
                                    ID, UUID.randomUUID(), "bob", "m" + i, null)))
                .toList())
        .when(send("bob", "the 31st"))
        .expectException(rateLimitedRetryingAfter(2))
        .expectNoEvents();
  }

  @Test
  void sendMessage_retryWithSameClientMessageId_takesNoRateLimitSlot() {
    MessageSendResult first = new MessageSendResult(MESSAGE, Verdict.ALLOWED, ZERO);
    registry.register(ID, "bob", "k-9", first);
    fixture
        .given(startedAndSent("bob", 30, NOW))
        .when(new SendMessageCommand(ID, UUID.randomUUID(), "bob", "m1", "k-9"))
        .expectResultMessagePayload(first)
        .expectNoEvents();
  }

  @Test
  void sendMessage_retryWithSameClientMessageId_leavesTheBudgetAsItWas() {
    // 29 messages, then the retry of one of them: the 30th new message still has its slot.
    MessageSendResult first = new MessageSendResult(MESSAGE, Verdict.ALLOWED, ZERO);
    registry.register(ID, "bob", "k-9", first);
    fixture
        .givenCommands(
            Stream.concat(
                    Stream.of(
                        new StartConversationCommand(ID, "alice", "Lunch", Set.of("bob")),
                        new SendMessageCommand(ID, UUID.randomUUID(), "bob", "m1", "k-9")),
                    IntStream.range(0, 29)
                        .mapToObj(
                            i ->
                                new SendMessageCommand(
                                    ID, UUID.randomUUID(), "bob", "n" + i, null)))
                .toList())
        .when(send("bob", "the 30th"))
        .expectSuccessfulHandlerExecution();
  }

  // --- snapshots (Jackson, as the application stores them)

  @Test
  void snapshot_keepsTheRateLimitState() throws Exception {
    ConversationAggregate live = replay(startedAndSent("bob", 30, NOW));
    ObjectMapper mapper = Jackson2ObjectMapperBuilder.json().build();
    ConversationAggregate restored =
        mapper.readValue(mapper.writeValueAsBytes(live), ConversationAggregate.class);
    fixture
        .givenState(() -> restored)
        .when(send("bob", "the 31st"))
        .expectException(rateLimitedRetryingAfter(2))
        .expectNoEvents();
  }

  @Test
  void snapshot_takenBeforeTheRateLimitState_loadsWithAFullBudget() throws Exception {
    ConversationAggregate live = replay(startedAndSent("bob", 30, NOW));
    ObjectMapper mapper = Jackson2ObjectMapperBuilder.json().build();
    ObjectNode json = mapper.valueToTree(live);
    assertThat(json.remove("sendArrivals")).as("the field the old snapshots lack").isNotNull();
    ConversationAggregate restored = mapper.treeToValue(json, ConversationAggregate.class);
    fixture
        .givenState(() -> restored)
        .when(send("bob", "allowed"))
        .expectEvents(sent(MESSAGE, 31, "bob", "allowed"));
  }

  /** The aggregate as event sourcing leaves it after {@code events}. */
  static ConversationAggregate replay(List<Object> events) {
    ConversationAggregate aggregate = new ConversationAggregate();
    for (Object event : events) {
      if (event instanceof ConversationStartedEvent started) {
        aggregate.on(started);
      } else if (event instanceof MessageSentEvent sent) {
        aggregate.on(sent, LIMIT);
      } else {
        throw new IllegalArgumentException("not replayed here: " + event);
      }
    }
    return aggregate;
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

  /** Scores texts from a table (everything else scores zero), as scorer {@value #SCORER}. */
  static final class FixedToxicityScorer implements ToxicityScorer {
    private final Map<String, ToxicityScores> table = new ConcurrentHashMap<>();
    private String fallbackReason;

    void score(String text, ToxicityScores scores) {
      table.put(text, scores);
    }

    void fallback(String reason) {
      fallbackReason = reason;
    }

    @Override
    public ToxicityAssessment score(String text) {
      return new ToxicityAssessment(
          table.getOrDefault(text, ToxicityScores.NONE), SCORER, fallbackReason);
    }
  }

  /** A clock that stands still where the test puts it. */
  static final class MovableClock extends Clock {
    private volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    void set(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
