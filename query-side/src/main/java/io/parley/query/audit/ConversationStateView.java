package io.parley.query.audit;

import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagStatus;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A conversation as it stood at {@code asOf}, rebuilt from its events (API.md "Audit"). {@code
 * title} is the owner's personal data: the clear text, or {@link ConversationStateAsOf#ERASED} once
 * its key is gone.
 */
public record ConversationStateView(
    UUID conversationId,
    Instant asOf,
    String title,
    String ownerId,
    List<String> participants,
    Moderation moderation,
    List<MessageState> messages,
    List<FlagState> flags) {

  /** The thresholds in force at {@code asOf}. */
  public record Moderation(BigDecimal warnThreshold, BigDecimal blockThreshold) {}

  /**
   * A message recorded at or before {@code asOf}, blocked ones included (verdict BLOCKED); {@code
   * removed} when an upheld flag removed it at or before {@code asOf}.
   */
  public record MessageState(
      UUID messageId, String senderId, Verdict verdict, Instant sentAt, boolean removed) {}

  /** A flag raised at or before {@code asOf}, in its state then; {@code outcome} once RESOLVED. */
  public record FlagState(UUID flagId, UUID messageId, FlagStatus status, FlagOutcome outcome) {}
}
