package io.parley.command.moderation;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.parley.api.FreeText;
import io.parley.api.error.ConflictException;
import io.parley.api.error.InvalidInputException;
import io.parley.api.moderation.FlagMessageCommand;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagReviewStartedEvent;
import io.parley.api.moderation.FlagStatus;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.moderation.ResolveFlagCommand;
import io.parley.api.moderation.StartFlagReviewCommand;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * One flag on one message and the moderator workflow it goes through: PENDING → REVIEWING →
 * RESOLVED (UPHELD or DISMISSED). Any other transition is a conflict. An upheld flag removes the
 * message from every timeline.
 *
 * <p>User flags are created by {@link FlagMessageCommand} with an id derived from (message,
 * flagger), so flagging twice answers the same flag. Automatic flags are created by the
 * conversation, in the unit of work that delivers the warned message ({@link #raiseAutomatically}).
 */
@Aggregate
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class FlagAggregate {

  @AggregateIdentifier private UUID flagId;
  private UUID messageId;
  private UUID conversationId;
  private String messageSenderId;
  private FlagStatus status;
  private Instant raisedAt;

  /** For Axon (event sourcing and creation policy). */
  protected FlagAggregate() {}

  private FlagAggregate(FlagRaisedAutomaticallyEvent raised) {
    apply(raised);
  }

  /**
   * The automatic flag of a message delivered with verdict WARNED. Call only from within another
   * aggregate's command handler (through {@code AggregateLifecycle.createNew}).
   */
  public static FlagAggregate raiseAutomatically(
      UUID messageId,
      UUID conversationId,
      String messageSenderId,
      BigDecimal toxicity,
      String scorer,
      Instant raisedAt) {
    return new FlagAggregate(
        new FlagRaisedAutomaticallyEvent(
            FlagRaisedAutomaticallyEvent.flagIdFor(messageId),
            messageId,
            conversationId,
            messageSenderId,
            toxicity,
            scorer,
            raisedAt));
  }

  /** Raises the flag, or answers the existing one when this flagger already flagged the message. */
  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  UUID handle(FlagMessageCommand command, Clock clock) {
    if (status != null) {
      return flagId; // the same user flagged the same message before: same outcome, no event
    }
    String reason = requireValidReason(command.reason());
    String note = requireValidNote(command.note());
    apply(
        new FlagRaisedEvent(
            command.flagId(),
            command.messageId(),
            command.conversationId(),
            command.messageSenderId(),
            command.flaggerId(),
            reason,
            note,
            command.toxicity(),
            clock.instant()));
    return command.flagId();
  }

  @CommandHandler
  void handle(StartFlagReviewCommand command, Clock clock) {
    requireStatus(FlagStatus.PENDING, "review");
    apply(new FlagReviewStartedEvent(flagId, messageId, command.moderatorId(), clock.instant()));
  }

  @CommandHandler
  void handle(ResolveFlagCommand command, Clock clock) {
    if (command.outcome() == null) {
      throw new InvalidInputException("outcome", "must be UPHELD or DISMISSED");
    }
    requireStatus(FlagStatus.REVIEWING, "resolve");
    Instant now = clock.instant();
    apply(
        new FlagResolvedEvent(
            flagId,
            messageId,
            conversationId,
            command.outcome(),
            command.moderatorId(),
            raisedAt,
            now));
    if (command.outcome() == FlagOutcome.UPHELD) {
      apply(
          new MessageRemovedEvent(
              conversationId, messageId, messageSenderId, flagId, command.moderatorId(), now));
    }
  }

  @EventSourcingHandler
  void on(FlagRaisedEvent event) {
    raised(
        event.flagId(),
        event.messageId(),
        event.conversationId(),
        event.messageSenderId(),
        event.raisedAt());
  }

  @EventSourcingHandler
  void on(FlagRaisedAutomaticallyEvent event) {
    raised(
        event.flagId(),
        event.messageId(),
        event.conversationId(),
        event.messageSenderId(),
        event.raisedAt());
  }

  @EventSourcingHandler
  void on(FlagReviewStartedEvent event) {
    status = FlagStatus.REVIEWING;
  }

  @EventSourcingHandler
  void on(FlagResolvedEvent event) {
    status = FlagStatus.RESOLVED;
  }

  private void raised(
      UUID flagId, UUID messageId, UUID conversationId, String messageSenderId, Instant raisedAt) {
    this.flagId = flagId;
    this.messageId = messageId;
    this.conversationId = conversationId;
    this.messageSenderId = messageSenderId;
    this.raisedAt = raisedAt;
    this.status = FlagStatus.PENDING;
  }

  private void requireStatus(FlagStatus required, String action) {
    if (status != required) {
      throw new ConflictException(
          "Cannot " + action + " a flag that is " + status + "; it must be " + required);
    }
  }

  private static String requireValidReason(String reason) {
    return FreeText.require("reason", reason, FlagLimits.REASON_MAX);
  }

  private static String requireValidNote(String note) {
    return FreeText.optional("note", note, FlagLimits.NOTE_MAX);
  }
}
