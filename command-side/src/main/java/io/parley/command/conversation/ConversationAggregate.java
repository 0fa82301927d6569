package io.parley.command.conversation;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;
import static org.axonframework.modelling.command.AggregateLifecycle.createNew;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.parley.api.FreeText;
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
import io.parley.api.conversation.ModerationThresholds;
import io.parley.api.conversation.ModerationThresholdsChangedEvent;
import io.parley.api.conversation.ParticipantAddedEvent;
import io.parley.api.conversation.SendMessageCommand;
import io.parley.api.conversation.StartConversationCommand;
import io.parley.api.conversation.Verdict;
import io.parley.api.error.ForbiddenException;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.InvalidInputException.FieldProblem;
import io.parley.api.error.RateLimitedException;
import io.parley.api.error.RuleViolationException;
import io.parley.command.card.AutomaticCards;
import io.parley.command.moderation.FlagAggregate;
import io.parley.command.moderation.ToxicityAssessment;
import io.parley.command.moderation.ToxicityScorer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A conversation: who takes part, its moderation thresholds, how many messages it holds, and how
 * fast each participant may send.
 *
 * <p>State is kept to what decisions need — never the messages themselves — so a conversation with
 * 100,000 messages loads as fast as a new one. Loaded conversations are cached per node. A decision
 * that appends events on a copy that misses another node's events fails on the (conversation,
 * sequence) key and is retried on a fresh load; a decision that appends nothing is checked against
 * the store first (see {@code OptimisticCachingRepository} in axon-support, ADR 0004 and ADR 0021).
 */
@Aggregate(repository = ConversationAggregate.REPOSITORY)
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class ConversationAggregate {

  /** The bean name of this aggregate's repository (defined in infra's {@code AxonConfig}). */
  public static final String REPOSITORY = "conversationRepository";

  /** Event metadata: the scorer that scored the message. */
  public static final String SCORER_METADATA = "scorer";

  /** Event metadata, present only after a fallback: why the configured scorer did not answer. */
  public static final String SCORER_FALLBACK_METADATA = "scorerFallback";

  @AggregateIdentifier private UUID conversationId;
  private String ownerId;
  private Set<String> participants = new HashSet<>();
  private BigDecimal warnThreshold;
  private BigDecimal blockThreshold;
  private long messageCount;
  private long cardCount;
  private long lastCardUpToPosition;

  /**
   * The send rate limit's state (see {@link SendRateLimit}): per sender, the theoretical arrival
   * time of their next message. Only senders whose budget is not full again are kept (an entry at
   * or before the latest send's time limits nothing and is dropped), so there is at most one entry
   * per participant, and usually only a few. Snapshots carry it; a snapshot taken before it existed
   * loads with no entry, that is a full budget for everyone.
   */
  private Map<String, Instant> sendArrivals = new HashMap<>();

  /** For Axon (event sourcing) and Jackson (snapshots). */
  protected ConversationAggregate() {}

  @CommandHandler
  ConversationAggregate(StartConversationCommand command, Clock clock) {
    String title = requireValidTitle(command.title());
    Set<String> members = requireValidParticipants(command.ownerId(), command.participants());
    ModerationThresholds defaults = ModerationThresholds.DEFAULT;
    apply(
        new ConversationStartedEvent(
            command.conversationId(),
            command.ownerId(),
            title,
            members,
            defaults.warn(),
            defaults.block(),
            clock.instant()));
  }

  @CommandHandler
  void handle(AddParticipantCommand command, Clock clock) {
    requireParticipant(command.requesterId());
    if (!ConversationLimits.isValidUserId(command.userId())) {
      throw new InvalidInputException("userId", "must be 1..64 characters of [A-Za-z0-9._@-]");
    }
    if (participants.contains(command.userId())) {
      return; // already a participant: nothing changes, nothing to record
    }
    if (participants.size() >= ConversationLimits.PARTICIPANTS_MAX) {
      throw new RuleViolationException(
          "The conversation already has "
              + ConversationLimits.PARTICIPANTS_MAX
              + " participants, the most it may have");
    }
    apply(
        new ParticipantAddedEvent(
            conversationId, command.userId(), command.requesterId(), clock.instant()));
  }

  /**
   * Sends a message: a retry with the same client key answers the first outcome; otherwise the
   * sender needs a slot of the conversation's send rate limit (the message's event takes it,
   * blocked or not), the text is scored, and the highest score decides. At or above the block
   * threshold the message is recorded as blocked and delivered to no one; at or above warn it is
   * delivered and flagged for a moderator in the same unit of work.
   */
  @CommandHandler
  MessageSendResult handle(
      SendMessageCommand command,
      Clock clock,
      ClientMessageRegistry clientMessages,
      SendRateLimit rateLimit,
      ToxicityScorer scorer,
      AutomaticCards automaticCards)
      throws Exception {
    requireParticipant(command.senderId());
    String text = requireValidText(command.text());
    String clientMessageId = command.clientMessageId();
    if (clientMessageId != null) {
      Optional<MessageSendResult> earlier =
          clientMessages.find(conversationId, command.senderId(), clientMessageId);
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }
    Instant now = clock.instant();
    requireSendSlot(command.senderId(), rateLimit, now);
    ToxicityAssessment assessment = scorer.score(text);
    BigDecimal toxicity = assessment.scores().highest();
    Verdict verdict = verdictFor(toxicity);
    MetaData scoring = scoringMetaData(assessment);
    if (verdict == Verdict.BLOCKED) {
      apply(
          new MessageBlockedEvent(
              conversationId,
              command.messageId(),
              command.senderId(),
              text,
              assessment.scores(),
              assessment.scorer(),
              now),
          scoring);
    } else {
      apply(
          new MessageSentEvent(
              conversationId,
              command.messageId(),
              messageCount + 1,
              command.senderId(),
              text,
              verdict,
              toxicity,
              assessment.scores(),
              assessment.scorer(),
              now),
          scoring);
      if (automaticCards.dueAt(messageCount)) {
        requestCard(AutomaticCards.cardIdFor(conversationId, cardCount + 1), null, now);
      }
      if (verdict == Verdict.WARNED) {
        createNew(
            FlagAggregate.class,
            () ->
                FlagAggregate.raiseAutomatically(
                    command.messageId(),
                    conversationId,
                    command.senderId(),
                    toxicity,
                    assessment.scorer(),
                    now));
      }
    }
    MessageSendResult result = new MessageSendResult(command.messageId(), verdict, toxicity);
    if (clientMessageId != null) {
      clientMessages.register(conversationId, command.senderId(), clientMessageId, result);
    }
    return result;
  }

  @CommandHandler
  void handle(ChangeModerationThresholdsCommand command, Clock clock) {
    requireOwnerOrModerator(command.requesterId(), command.requesterIsModerator());
    ModerationThresholds thresholds =
        new ModerationThresholds(command.warnThreshold(), command.blockThreshold());
    if (!thresholds.isValid() || hasMoreThanThreeDecimals(thresholds)) {
      throw new InvalidInputException(
          List.of(
              new FieldProblem(
                  "warnThreshold",
                  "requires 0 < warnThreshold < blockThreshold <= 1, at most 3 decimals"),
              new FieldProblem(
                  "blockThreshold",
                  "requires 0 < warnThreshold < blockThreshold <= 1, at most 3 decimals")));
    }
    if (thresholds.warn().compareTo(warnThreshold) == 0
        && thresholds.block().compareTo(blockThreshold) == 0) {
      return; // unchanged
    }
    apply(
        new ModerationThresholdsChangedEvent(
            conversationId,
            thresholds.warn(),
            thresholds.block(),
            command.requesterId(),
            clock.instant()));
  }

  /**
   * A participant asks for a card of the messages delivered since the previous card (requested or
   * automatic). Answers the card's id.
   */
  @CommandHandler
  UUID handle(RequestCardCommand command, Clock clock) {
    requireParticipant(command.requesterId());
    requestCard(command.cardId(), command.requesterId(), clock.instant());
    return command.cardId();
  }

  private void requestCard(UUID cardId, String requesterId, Instant now) {
    apply(
        new CardRequestedEvent(
            cardId,
            conversationId,
            cardCount + 1,
            requesterId == null ? CardTrigger.AUTOMATIC : CardTrigger.REQUESTED,
            requesterId,
            lastCardUpToPosition,
            messageCount,
            now));
  }

  @EventSourcingHandler
  void on(ConversationStartedEvent event) {
    conversationId = event.conversationId();
    ownerId = event.ownerId();
    participants = new HashSet<>(event.participants());
    warnThreshold = event.warnThreshold();
    blockThreshold = event.blockThreshold();
  }

  @EventSourcingHandler
  void on(ParticipantAddedEvent event) {
    participants.add(event.userId());
  }

  @EventSourcingHandler
  void on(MessageSentEvent event, SendRateLimit rateLimit) {
    messageCount = event.position();
    takeSendSlot(event.senderId(), event.sentAt(), rateLimit);
  }

  /** A blocked message is not delivered, but it was sent: it takes a slot like any other. */
  @EventSourcingHandler
  void on(MessageBlockedEvent event, SendRateLimit rateLimit) {
    takeSendSlot(event.senderId(), event.blockedAt(), rateLimit);
  }

  @EventSourcingHandler
  void on(CardRequestedEvent event) {
    cardCount = event.number();
    lastCardUpToPosition = event.upToPosition();
  }

  @EventSourcingHandler
  void on(ModerationThresholdsChangedEvent event) {
    warnThreshold = event.warnThreshold();
    blockThreshold = event.blockThreshold();
  }

  /** Moves the sender's theoretical arrival time by one interval from the message's own time. */
  private void takeSendSlot(String senderId, Instant at, SendRateLimit rateLimit) {
    if (at == null) {
      return; // no time, no slot (every stored message event carries its time)
    }
    Instant next = rateLimit.nextArrival(sendArrivals.get(senderId), at);
    sendArrivals.values().removeIf(arrival -> !arrival.isAfter(at));
    sendArrivals.put(senderId, next);
  }

  private Verdict verdictFor(BigDecimal toxicity) {
    if (toxicity.compareTo(blockThreshold) >= 0) {
      return Verdict.BLOCKED;
    }
    return toxicity.compareTo(warnThreshold) >= 0 ? Verdict.WARNED : Verdict.ALLOWED;
  }

  /** Which scorer decided, and why it stood in for another one: audit reads it from the event. */
  private static MetaData scoringMetaData(ToxicityAssessment assessment) {
    MetaData scoring = MetaData.with(SCORER_METADATA, assessment.scorer());
    return assessment.fellBack()
        ? scoring.and(SCORER_FALLBACK_METADATA, assessment.fallbackReason())
        : scoring;
  }

  private static boolean hasMoreThanThreeDecimals(ModerationThresholds thresholds) {
    return thresholds.warn().stripTrailingZeros().scale() > 3
        || thresholds.block().stripTrailingZeros().scale() > 3;
  }

  private void requireParticipant(String userId) {
    if (!participants.contains(userId)) {
      throw new ForbiddenException("Only participants of the conversation may do this");
    }
  }

  private void requireSendSlot(String senderId, SendRateLimit rateLimit, Instant now) {
    Instant arrival = sendArrivals.get(senderId);
    if (!rateLimit.allows(arrival, now)) {
      throw new RateLimitedException(
          "Too many messages: at most "
              + rateLimit.messages()
              + " per "
              + rateLimit.period()
              + " from one sender into one conversation",
          rateLimit.retryAfter(arrival, now));
    }
  }

  private void requireOwnerOrModerator(String userId, boolean moderator) {
    if (!moderator && !ownerId.equals(userId)) {
      throw new ForbiddenException(
          "Only the owner or a moderator may change moderation thresholds");
    }
  }

  private static String requireValidTitle(String title) {
    return FreeText.require("title", title, ConversationLimits.TITLE_MAX);
  }

  private static String requireValidText(String text) {
    return FreeText.require("text", text, ConversationLimits.TEXT_MAX);
  }

  private static Set<String> requireValidParticipants(String ownerId, Set<String> invited) {
    Set<String> members = new LinkedHashSet<>();
    members.add(ownerId);
    List<FieldProblem> problems = new ArrayList<>();
    if (invited != null) {
      for (String userId : invited) {
        if (!ConversationLimits.isValidUserId(userId)) {
          problems.add(
              new FieldProblem("participants", "each must be 1..64 characters of [A-Za-z0-9._@-]"));
          break;
        }
        members.add(userId);
      }
    }
    if (members.size() > ConversationLimits.PARTICIPANTS_MAX) {
      problems.add(
          new FieldProblem(
              "participants", "at most " + ConversationLimits.PARTICIPANTS_MAX + " participants"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException(problems);
    }
    return members;
  }
}
