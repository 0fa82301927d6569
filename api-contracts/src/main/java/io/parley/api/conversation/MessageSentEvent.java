package io.parley.api.conversation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A message was accepted and delivered. {@code position} is its number within the conversation
 * (1, 2, 3, … without gaps), assigned by the aggregate.
 */
@Revision("1")
public record MessageSentEvent(
    UUID conversationId,
    UUID messageId,
    long position,
    String senderId,
    String text,
    Verdict verdict,
    BigDecimal toxicity,
    Instant sentAt) {}
