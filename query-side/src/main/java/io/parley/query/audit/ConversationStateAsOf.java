package io.parley.query.audit;

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
import io.parley.query.audit.ConversationStateView.FlagState;
import io.parley.query.audit.ConversationStateView.MessageState;
import io.parley.query.audit.ConversationStateView.Moderation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Rebuilds a conversation as it stood at one instant by applying its events, the way its aggregates
 * did: the {@code ConversationAggregate}'s stream and the stream of each of its {@code
 * FlagAggregate}s. No framework, no database: the caller feeds the streams.
 *
 * <p>Each stream is applied in sequence order, and of it exactly the events whose own timestamp is
 * at or before {@code asOf}. Timestamps come from the clock of the node that applied the event, so
 * they are not guaranteed to rise with the sequence (nodes' clocks differ, a clock may be set
 * back): an event is in or out by its own timestamp alone, never by its neighbours', so what a
 * reader sees for an instant is exactly "every event stamped then or before". Events of other types
 * (and of other conversations) are ignored; a flag's events count only once its raising event does.
 *
 * <p>Personal fields arrive as the event store reads them: decrypted, or {@code null} once their
 * key is gone (ADR 0007); the title then reads {@link #ERASED}.
 */
public final class ConversationStateAsOf {

  /** What a personal field reads as once its key is gone. */
  public static final String ERASED = "[erased]";

  /** One stored event: its payload and the event's own timestamp (not a payload field). */
  public record TimedEvent(Object payload, Instant timestamp) {}

  private final UUID conversationId;
  private final Instant asOf;

  private boolean started;
  private String title;
  private String ownerId;
  private final Set<String> participants = new TreeSet<>();
  private BigDecimal warnThreshold;
  private BigDecimal blockThreshold;
  private final Map<UUID, MessageState> messages = new LinkedHashMap<>();
  private final Map<UUID, FlagProgress> flags = new LinkedHashMap<>();
  private final Set<UUID> removedMessages = new HashSet<>();
  private long eventsApplied;

  public ConversationStateAsOf(UUID conversationId, Instant asOf) {
    this.conversationId = conversationId;
    this.asOf = asOf;
  }

  /** Applies the conversation aggregate's events stamped at or before {@code asOf}, in order. */
  public ConversationStateAsOf applyConversationStream(Iterable<TimedEvent> events) {
    for (TimedEvent event : events) {
      if (event.timestamp().isAfter(asOf)) {
        continue;
      }
      if (applyConversationEvent(event.payload())) {
        eventsApplied++;
      }
    }
    return this;
  }

  /** Applies one flag aggregate's events stamped at or before {@code asOf}, in order. */
  public ConversationStateAsOf applyFlagStream(Iterable<TimedEvent> events) {
    UUID flagId = null;
    for (TimedEvent event : events) {
      if (event.timestamp().isAfter(asOf)) {
        continue;
      }
      Object payload = event.payload();
      if (flagId == null) {
        flagId = raisedFlag(payload, event.timestamp());
        if (flagId == null) {
          return this; // not a flag of this conversation (or not a flag at all)
        }
        eventsApplied++;
      } else if (applyFlagEvent(flags.get(flagId), payload)) {
        eventsApplied++;
      }
    }
    return this;
  }

  /**
   * The ids of the automatic flags of the WARNED messages applied so far: they derive from the
   * message id ({@link FlagRaisedAutomaticallyEvent#flagIdFor}), so no index is needed to find
   * them.
   */
  public Set<UUID> automaticFlagIds() {
    Set<UUID> ids = new HashSet<>();
    for (MessageState message : messages.values()) {
      if (message.verdict() == Verdict.WARNED) {
        ids.add(FlagRaisedAutomaticallyEvent.flagIdFor(message.messageId()));
      }
    }
    return ids;
  }

  /** Whether the conversation had been started by {@code asOf} (of the events applied so far). */
  public boolean started() {
    return started;
  }

  /** How many events were applied (the audit record's count). */
  public long eventsApplied() {
    return eventsApplied;
  }

  /** The conversation at {@code asOf}; empty if it had not been started by then. */
  public Optional<ConversationStateView> state() {
    if (!started) {
      return Optional.empty();
    }
    List<MessageState> messageStates = new ArrayList<>(messages.size());
    for (MessageState message : messages.values()) {
      messageStates.add(
          removedMessages.contains(message.messageId())
              ? new MessageState(
                  message.messageId(),
                  message.senderId(),
                  message.verdict(),
                  message.sentAt(),
                  true)
              : message);
    }
    List<FlagState> flagStates =
        flags.values().stream()
            .sorted(
                Comparator.comparing(FlagProgress::raisedAt)
                    .thenComparing(flag -> flag.flagId().toString()))
            .map(flag -> new FlagState(flag.flagId(), flag.messageId(), flag.status, flag.outcome))
            .toList();
    return Optional.of(
        new ConversationStateView(
            conversationId,
            asOf,
            title == null ? ERASED : title,
            ownerId,
            List.copyOf(participants),
            new Moderation(warnThreshold, blockThreshold),
            List.copyOf(messageStates),
            flagStates));
  }

  private boolean applyConversationEvent(Object payload) {
    if (payload instanceof ConversationStartedEvent event) {
      if (!conversationId.equals(event.conversationId())) {
        return false;
      }
      started = true;
      title = event.title();
      ownerId = event.ownerId();
      participants.addAll(event.participants());
      warnThreshold = event.warnThreshold();
      blockThreshold = event.blockThreshold();
      return true;
    }
    if (!started) {
      return false; // nothing happens to a conversation before it starts
    }
    if (payload instanceof ParticipantAddedEvent event) {
      participants.add(event.userId());
      return true;
    }
    if (payload instanceof ModerationThresholdsChangedEvent event) {
      warnThreshold = event.warnThreshold();
      blockThreshold = event.blockThreshold();
      return true;
    }
    if (payload instanceof MessageSentEvent event) {
      messages.put(
          event.messageId(),
          new MessageState(
              event.messageId(), event.senderId(), event.verdict(), event.sentAt(), false));
      return true;
    }
    if (payload instanceof MessageBlockedEvent event) {
      messages.put(
          event.messageId(),
          new MessageState(
              event.messageId(), event.senderId(), Verdict.BLOCKED, event.blockedAt(), false));
      return true;
    }
    return false;
  }

  /** The flag's first event: registers it and answers its id, or null if it is not ours. */
  private UUID raisedFlag(Object payload, Instant timestamp) {
    UUID flagId;
    UUID messageId;
    UUID flagConversation;
    if (payload instanceof FlagRaisedEvent event) {
      flagId = event.flagId();
      messageId = event.messageId();
      flagConversation = event.conversationId();
    } else if (payload instanceof FlagRaisedAutomaticallyEvent event) {
      flagId = event.flagId();
      messageId = event.messageId();
      flagConversation = event.conversationId();
    } else {
      return null;
    }
    if (!conversationId.equals(flagConversation) || flags.containsKey(flagId)) {
      return null;
    }
    flags.put(flagId, new FlagProgress(flagId, messageId, timestamp));
    return flagId;
  }

  private boolean applyFlagEvent(FlagProgress flag, Object payload) {
    if (payload instanceof FlagReviewStartedEvent) {
      flag.status = FlagStatus.REVIEWING;
      return true;
    }
    if (payload instanceof FlagResolvedEvent event) {
      flag.status = FlagStatus.RESOLVED;
      flag.outcome = event.outcome();
      return true;
    }
    if (payload instanceof MessageRemovedEvent event) {
      removedMessages.add(event.messageId());
      return true;
    }
    return false;
  }

  private static final class FlagProgress {
    private final UUID flagId;
    private final UUID messageId;
    private final Instant raisedAt;
    private FlagStatus status = FlagStatus.PENDING;
    private FlagOutcome outcome;

    private FlagProgress(UUID flagId, UUID messageId, Instant raisedAt) {
      this.flagId = flagId;
      this.messageId = messageId;
      this.raisedAt = raisedAt;
    }

    UUID flagId() {
      return flagId;
    }

    UUID messageId() {
      return messageId;
    }

    Instant raisedAt() {
      return raisedAt;
    }
  }
}
