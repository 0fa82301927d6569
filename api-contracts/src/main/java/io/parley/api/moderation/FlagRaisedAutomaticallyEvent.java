package io.parley.api.moderation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A delivered message scored at or above its conversation's warn threshold, so the scorer flagged
 * it for a moderator (source {@code AUTO}, reason {@code toxicity}). Raised in the same unit of
 * work as the message's {@code MessageSentEvent}.
 */
@Revision("1")
public record FlagRaisedAutomaticallyEvent(
    UUID flagId,
    UUID messageId,
    UUID conversationId,
    String messageSenderId,
    BigDecimal toxicity,
    String scorer,
    Instant raisedAt) {

  /** The reason every automatic flag gives. */
  public static final String REASON = "toxicity";

  /** The id of the automatic flag on {@code messageId}. */
  public static UUID flagIdFor(UUID messageId) {
    return UUID.nameUUIDFromBytes(
        ("auto-flag:" + messageId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
