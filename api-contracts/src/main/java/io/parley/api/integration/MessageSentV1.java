package io.parley.api.integration;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A message was delivered ({@link IntegrationTopics#CONVERSATIONS}, key {@code conversationId}):
 * its position in the conversation, its moderation verdict ({@code ALLOWED} or {@code WARNED}) and
 * toxicity. Never its text or its sender.
 */
public record MessageSentV1(
    String eventId,
    Instant occurredAt,
    UUID conversationId,
    UUID messageId,
    long position,
    String verdict,
    BigDecimal toxicity)
    implements IntegrationEvent {}
