package io.parley.command.moderation;

import io.parley.api.error.ConflictException;
import io.parley.api.error.InvalidInputException;
import io.parley.api.moderation.FlagMessageCommand;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ResolveFlagCommand;
import io.parley.api.moderation.StartFlagReviewCommand;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FlagAggregateTest {

  static final Instant RAISED = Instant.parse("2026-11-24T10:00:00Z");
  static final Instant NOW = Instant.parse("2026-11-24T11:00:00Z");
  static final UUID MESSAGE = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
  static final UUID CONVERSATION = UUID.fromString("00000000-0000-0000-0000-000000000001");
  static final UUID FLAG = FlagMessageCommand.flagIdFor(MESSAGE, "carol");
  static final BigDecimal TOXICITY = new BigDecimal("0.300");

  AggregateTestFixture<FlagAggregate> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(FlagAggregate.class);
    fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  static FlagMessageCommand flag(String reason, String note) {
    return new FlagMessageCommand(
        FLAG, MESSAGE, CONVERSATION, "bob", "carol", reason, note, TOXICITY);
  }

  static FlagRaisedEvent raised() {
    return new FlagRaisedEvent(
        FLAG, MESSAGE, CONVERSATION, "bob", "carol", "spam", "sells pills", TOXICITY, RAISED);
  }

  static FlagReviewStartedEvent reviewing() {
    return new FlagReviewStartedEvent(FLAG, MESSAGE, "mod", RAISED);
  }

  // --- raising

  @Test
  void flagMessage_byParticipant_raisesAPendingFlag_withTrimmedReasonAndNote() {
    fixture
        .givenNoPriorActivity()
        .when(flag("  spam ", " sells pills "))
        .expectResultMessagePayload(FLAG)
        .expectEvents(
            new FlagRaisedEvent(
                FLAG, MESSAGE, CONVERSATION, "bob", "carol", "spam", "sells pills", TOXICITY, NOW));
  }

  @Test
  void flagMessage_withoutNote_recordsNoNote() {
    fixture
        .givenNoPriorActivity()
        .when(flag("spam", "   "))
        .expectEvents(
            new FlagRaisedEvent(
                FLAG, MESSAGE, CONVERSATION, "bob", "carol", "spam", null, TOXICITY, NOW));
  }

  @Test
  void flagMessage_twiceBySameUser_answersTheSameFlag_andRecordsNothing() {
    fixture
        .given(raised())
        .when(flag("other reason", null))
        .expectResultMessagePayload(FLAG)
        .expectNoEvents();
  }

  @Test
  void flagMessage_rejectsBlankReason() {
    fixture
        .givenNoPriorActivity()
        .when(flag("  ", null))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void flagMessage_rejectsReasonOver100Characters() {
    fixture
        .givenNoPriorActivity()
        .when(flag("r".repeat(FlagLimits.REASON_MAX + 1), null))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void flagMessage_rejectsNoteOver2000Characters() {
    fixture
        .givenNoPriorActivity()
        .when(flag("spam", "n".repeat(FlagLimits.NOTE_MAX + 1)))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void flagMessage_rejectsControlCharactersInReason() {
    fixture
        .givenNoPriorActivity()
        .when(flag("sp\u0000am", null))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  // --- the workflow

  @Test
  void startReview_ofPendingFlag_movesItToReviewing() {
    fixture
        .given(raised())
        .when(new StartFlagReviewCommand(FLAG, "mod"))
        .expectEvents(new FlagReviewStartedEvent(FLAG, MESSAGE, "mod", NOW));
  }

  @Test
  void startReview_ofAutomaticFlag_movesItToReviewing() {
    UUID autoFlag = FlagRaisedAutomaticallyEvent.flagIdFor(MESSAGE);
    fixture
        .given(
            new FlagRaisedAutomaticallyEvent(
                autoFlag, MESSAGE, CONVERSATION, "bob", new BigDecimal("0.700"), "x", RAISED))
        .when(new StartFlagReviewCommand(autoFlag, "mod"))
        .expectEvents(new FlagReviewStartedEvent(autoFlag, MESSAGE, "mod", NOW));
  }

  @Test
  void startReview_ofReviewingFlag_isAConflict() {
    fixture
        .given(raised(), reviewing())
        .when(new StartFlagReviewCommand(FLAG, "mod2"))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void startReview_ofResolvedFlag_isAConflict() {
    fixture
        .given(raised(), reviewing(), resolved(FlagOutcome.DISMISSED))
        .when(new StartFlagReviewCommand(FLAG, "mod"))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void resolve_ofPendingFlag_isAConflict() {
    fixture
        .given(raised())
        .when(new ResolveFlagCommand(FLAG, "mod", FlagOutcome.UPHELD))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void resolve_ofResolvedFlag_isAConflict() {
    fixture
        .given(raised(), reviewing(), resolved(FlagOutcome.UPHELD))
        .when(new ResolveFlagCommand(FLAG, "mod", FlagOutcome.DISMISSED))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void resolve_withoutOutcome_isInvalid() {
    fixture
        .given(raised(), reviewing())
        .when(new ResolveFlagCommand(FLAG, "mod", null))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void onFlagUpheld_removesMessage() {
    fixture
        .given(raised(), reviewing())
        .when(new ResolveFlagCommand(FLAG, "mod", FlagOutcome.UPHELD))
        .expectEvents(
            resolvedAt(FlagOutcome.UPHELD, NOW),
            new MessageRemovedEvent(CONVERSATION, MESSAGE, "bob", FLAG, "mod", NOW));
  }

  @Test
  void onFlagDismissed_keepsMessage() {
    fixture
        .given(raised(), reviewing())
        .when(new ResolveFlagCommand(FLAG, "mod", FlagOutcome.DISMISSED))
        .expectEvents(resolvedAt(FlagOutcome.DISMISSED, NOW));
  }

  static FlagResolvedEvent resolved(FlagOutcome outcome) {
    return resolvedAt(outcome, RAISED);
  }

  static FlagResolvedEvent resolvedAt(FlagOutcome outcome, Instant at) {
    return new FlagResolvedEvent(FLAG, MESSAGE, CONVERSATION, outcome, "mod", RAISED, at);
  }
}
