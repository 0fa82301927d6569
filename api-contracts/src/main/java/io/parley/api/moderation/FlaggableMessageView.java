package io.parley.api.moderation;

import java.math.BigDecimal;
import java.util.UUID;

/** A visible message and its conversation, as the flag endpoint needs them. */
public record FlaggableMessageView(
    UUID messageId, UUID conversationId, String senderId, BigDecimal toxicity) {}
