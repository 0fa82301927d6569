package io.parley.api.conversation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record ConversationView(
    UUID conversationId,
    String title,
    String ownerId,
    List<String> participants,
    Instant createdAt,
    long messageCount,
    Moderation moderation) {

  public record Moderation(BigDecimal warnThreshold, BigDecimal blockThreshold) {}
}
