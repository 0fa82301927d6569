package io.parley.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.conversation.ConversationStartedEvent;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.FlagStatus;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ToxicityScores;
import io.parley.query.audit.ConversationStateAsOf.TimedEvent;
import io.parley.query.audit.ConversationStateView.FlagState;
import io.parley.query.audit.ConversationStateView.MessageState;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A conversation's history, one event a minute, and its state at several instants: before it
 * started, between messages, after a flag, after a removal, after threshold changes and after a
 * participant joined. Pure: the streams are lists.
 */
class ConversationStateAsOfTest {

  static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
  static final UUID ROOM = UUID.fromString("3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41");
  static final UUID HELLO = UUID.fromString("00000000-0000-0000-0000-000000000001");
  static final UUID RUDE = UUID.fromString("00000000-0000-0000-0000-000000000002");
  static final UUID SPAM = UUID.fromString("00000000-0000-0000-0000-000000000003");
  static final UUID SEVERE = UUID.fromString("00000000-0000-0000-0000-000000000004");
  static final UUID AUTO_FLAG = FlagRaisedAutomaticallyEvent.flagIdFor(RUDE);
  static final UUID USER_FLAG = UUID.fromString("00000000-0000-0000-0000-0000000000f1");

  /** Minute {@code m} of the history. */
  static Instant at(int minute) {
    return T0.plusSeconds(60L * minute);
  }

  /** Just before minute {@code m}. */
  static Instant justBefore(int minute) {
    return at(minute).minusNanos(1);
  }

  // The conversation's stream: minute 1 start, 2 hello, 3 rude (warned), 5 carol joins,
  // 6 thresholds change, 8 spam, 9 severe (blocked).
  final List<TimedEvent> conversation =
      List.of(
          event(
              1,
              new ConversationStartedEvent(
                  ROOM,
                  "alice",
                  "Weekend plans",
                  Set.of("alice", "bob"),
                  new BigDecimal("0.6"),
                  new BigDecimal("0.8"),
                  at(1))),
          event(2, sent(HELLO, 1, "bob", Verdict.ALLOWED, 2)),
          event(3, sent(RUDE, 2, "bob", Verdict.WARNED, 3)),
          event(5, new ParticipantAddedEvent(ROOM, "carol", "alice", at(5))),
          event(
              6,
              new ModerationThresholdsChangedEvent(
                  ROOM, new BigDecimal("0.5"), new BigDecimal("0.9"), "alice", at(6))),
          event(8, sent(SPAM, 3, "bob", Verdict.ALLOWED, 8)),
          event(
              9,
              new MessageBlockedEvent(ROOM, SEVERE, "bob", "…", ToxicityScores.NONE, "x", at(9))));

  // The automatic flag of RUDE: raised at 3, reviewed at 4, upheld at 7 (message removed at 7).
  final List<TimedEvent> autoFlag =
      List.of(
          event(
              3,
              new FlagRaisedAutomaticallyEvent(
                  AUTO_FLAG, RUDE, ROOM, "bob", new BigDecimal("0.7"), "x", at(3))),
          event(4, new FlagReviewStartedEvent(AUTO_FLAG, RUDE, "mod", at(4))),
          event(
              7,
              new FlagResolvedEvent(
                  AUTO_FLAG, RUDE, ROOM, FlagOutcome.UPHELD, "mod", at(3), at(7))),
          event(7, new MessageRemovedEvent(ROOM, RUDE, "bob", AUTO_FLAG, "mod", at(7))));

  // Carol's flag on SPAM: raised at 10, dismissed at 12.
  final List<TimedEvent> userFlag =
      List.of(
          event(
              10,
              new FlagRaisedEvent(
                  USER_FLAG, SPAM, ROOM, "bob", "carol", "spam", null, BigDecimal.ZERO, at(10))),
          event(11, new FlagReviewStartedEvent(USER_FLAG, SPAM, "mod", at(11))),
          event(
              12,
              new FlagResolvedEvent(
                  USER_FLAG, SPAM, ROOM, FlagOutcome.DISMISSED, "mod", at(10), at(12))));

  @Test
  void beforeItStarted_thereIsNoState() {
    ConversationStateAsOf rebuild = rebuildAt(justBefore(1));
    assertThat(rebuild.state()).isEmpty();
    assertThat(rebuild.eventsApplied()).isZero();
  }

  @Test
  void atTheStartingEventsTimestamp_itExists_anEventAtAsOfIsApplied() {
    ConversationStateView state = stateAt(at(1));
    assertThat(state.conversationId()).isEqualTo(ROOM);
    assertThat(state.asOf()).isEqualTo(at(1));
    assertThat(state.title()).isEqualTo("Weekend plans");
    assertThat(state.ownerId()).isEqualTo("alice");
    assertThat(state.participants()).containsExactly("alice", "bob");
    assertThat(state.moderation().warnThreshold()).isEqualByComparingTo("0.6");
    assertThat(state.moderation().blockThreshold()).isEqualByComparingTo("0.8");
    assertThat(state.messages()).isEmpty();
    assertThat(state.flags()).isEmpty();
  }

  @Test
  void betweenMessages_onlyTheEarlierOnesAreThere() {
    ConversationStateView state = stateAt(justBefore(3));
    assertThat(state.messages())
        .containsExactly(new MessageState(HELLO, "bob", Verdict.ALLOWED, at(2), false));
  }

  @Test
  void afterAFlagWasRaised_itIsPending_andMovesThroughItsStatesWithAsOf() {
    assertThat(stateAt(at(3)).flags())
        .containsExactly(new FlagState(AUTO_FLAG, RUDE, FlagStatus.PENDING, null));
    assertThat(stateAt(justBefore(7)).flags())
        .containsExactly(new FlagState(AUTO_FLAG, RUDE, FlagStatus.REVIEWING, null));
    assertThat(stateAt(at(7)).flags())
        .containsExactly(new FlagState(AUTO_FLAG, RUDE, FlagStatus.RESOLVED, FlagOutcome.UPHELD));
  }

  @Test
  void aMessageIsRemovedOnlyFromTheRemovalsInstant() {
    assertThat(message(stateAt(justBefore(7)), RUDE).removed()).isFalse();
    ConversationStateView after = stateAt(at(7));
    assertThat(message(after, RUDE).removed()).isTrue();
    assertThat(message(after, RUDE).verdict()).isEqualTo(Verdict.WARNED);
    assertThat(message(after, HELLO).removed()).isFalse();
  }

  @Test
  void thresholdsAreThoseInForceAtAsOf() {
    assertThat(stateAt(justBefore(6)).moderation().warnThreshold()).isEqualByComparingTo("0.6");
    ConversationStateView after = stateAt(at(6));
    assertThat(after.moderation().warnThreshold()).isEqualByComparingTo("0.5");
    assertThat(after.moderation().blockThreshold()).isEqualByComparingTo("0.9");
  }

  @Test
  void aParticipantTakesPartFromTheirJoiningOn() {
    assertThat(stateAt(justBefore(5)).participants()).containsExactly("alice", "bob");
    assertThat(stateAt(at(5)).participants()).containsExactly("alice", "bob", "carol");
  }

  @Test
  void aFlagRaisedAfterAsOfIsAbsent_andBlockedMessagesAreListedAsBlocked() {
    ConversationStateView beforeUserFlag = stateAt(justBefore(10));
    assertThat(beforeUserFlag.flags()).extracting(FlagState::flagId).containsExactly(AUTO_FLAG);
    assertThat(beforeUserFlag.messages())
        .extracting(MessageState::messageId)
        .containsExactly(HELLO, RUDE, SPAM, SEVERE);
    assertThat(message(beforeUserFlag, SEVERE).verdict()).isEqualTo(Verdict.BLOCKED);

    ConversationStateView end = stateAt(at(12));
    assertThat(end.flags())
        .containsExactly(
            new FlagState(AUTO_FLAG, RUDE, FlagStatus.RESOLVED, FlagOutcome.UPHELD),
            new FlagState(USER_FLAG, SPAM, FlagStatus.RESOLVED, FlagOutcome.DISMISSED));
    assertThat(message(end, SPAM).removed()).isFalse(); // dismissed: kept
  }

  @Test
  void eventsAppliedCountsEveryEventAtOrBeforeAsOf() {
    assertThat(rebuildAt(at(1)).eventsApplied()).isEqualTo(1);
    // conversation: start, hello, rude; auto flag: raised, review started
    assertThat(rebuildAt(at(4)).eventsApplied()).isEqualTo(5);
    assertThat(rebuildAt(at(12)).eventsApplied())
        .isEqualTo(conversation.size() + autoFlag.size() + userFlag.size());
  }

  @Test
  void anErasedTitle_readsErased() {
    List<TimedEvent> erased = new ArrayList<>(conversation);
    erased.set(
        0,
        event(
            1,
            new ConversationStartedEvent(
                ROOM,
                "alice",
                null,
                Set.of("alice"),
                new BigDecimal("0.6"),
                new BigDecimal("0.8"),
                at(1))));
    ConversationStateView state =
        new ConversationStateAsOf(ROOM, at(2))
            .applyConversationStream(erased)
            .state()
            .orElseThrow();
    assertThat(state.title()).isEqualTo(ConversationStateAsOf.ERASED).isEqualTo("[erased]");
  }

  @Test
  void eachEventCountsByItsOwnTimestamp_evenWhenClocksDisagreeWithTheSequence() {
    // A node with a slow clock stamped the third event (RUDE) before the second one (HELLO).
    List<TimedEvent> skewed =
        List.of(
            conversation.get(0),
            event(4, conversation.get(1).payload()),
            event(2, conversation.get(2).payload()));
    assertThat(
            new ConversationStateAsOf(ROOM, at(3))
                .applyConversationStream(skewed)
                .state()
                .orElseThrow()
                .messages())
        .extracting(MessageState::messageId)
        .containsExactly(RUDE);
  }

  @Test
  void aFlagsLaterEventsDoNotCount_withoutItsRaisingEvent() {
    List<TimedEvent> reviewStampedFirst =
        List.of(event(6, autoFlag.get(0).payload()), event(4, autoFlag.get(1).payload()));
    ConversationStateAsOf rebuild =
        new ConversationStateAsOf(ROOM, at(5))
            .applyConversationStream(conversation)
            .applyFlagStream(reviewStampedFirst);
    assertThat(rebuild.state().orElseThrow().flags()).isEmpty();
  }

  @Test
  void anotherConversationsEvents_areIgnored() {
    UUID other = UUID.randomUUID();
    ConversationStateAsOf rebuild = new ConversationStateAsOf(other, at(12));
    rebuild.applyConversationStream(conversation).applyFlagStream(autoFlag);
    assertThat(rebuild.state()).isEmpty();
    assertThat(rebuild.eventsApplied()).isZero();
  }

  @Test
  void automaticFlagIds_areThoseOfTheWarnedMessagesApplied() {
    assertThat(
            new ConversationStateAsOf(ROOM, at(12))
                .applyConversationStream(conversation)
                .automaticFlagIds())
        .containsExactly(AUTO_FLAG);
    assertThat(
            new ConversationStateAsOf(ROOM, at(2))
                .applyConversationStream(conversation)
                .automaticFlagIds())
        .isEmpty();
  }

  private ConversationStateAsOf rebuildAt(Instant asOf) {
    return new ConversationStateAsOf(ROOM, asOf)
        .applyConversationStream(conversation)
        .applyFlagStream(userFlag) // the order of flag streams does not matter
        .applyFlagStream(autoFlag);
  }

  private ConversationStateView stateAt(Instant asOf) {
    return rebuildAt(asOf).state().orElseThrow();
  }

  private static MessageState message(ConversationStateView state, UUID messageId) {
    return state.messages().stream()
        .filter(m -> m.messageId().equals(messageId))
        .findFirst()
        .orElseThrow();
  }

  private static TimedEvent event(int minute, Object payload) {
    return new TimedEvent(payload, at(minute));
  }

  private static MessageSentEvent sent(
      UUID messageId, long position, String sender, Verdict verdict, int minute) {
    return new MessageSentEvent(
        ROOM,
        messageId,
        position,
        sender,
        "text " + position,
        verdict,
        new BigDecimal("0.1"),
        ToxicityScores.NONE,
        "x",
        at(minute));
  }
}
