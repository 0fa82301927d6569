package io.parley.api.moderation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * A participant flags a message. {@code flagId} is derived from (message, flagger), so the same
 * user flagging the same message again answers the same flag and records nothing new. The message's
 * conversation and sender are resolved by the caller from the read model.
 */
public record FlagMessageCommand(
    @TargetAggregateIdentifier UUID flagId,
    UUID messageId,
    UUID conversationId,
    String messageSenderId,
    String flaggerId,
    String reason,
    String note,
    java.math.BigDecimal toxicity) {

  /** The id of {@code flaggerId}'s flag on {@code messageId}: the same for every retry. */
  public static UUID flagIdFor(UUID messageId, String flaggerId) {
    return UUID.nameUUIDFromBytes(
        ("user-flag:" + messageId + ":" + flaggerId)
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
