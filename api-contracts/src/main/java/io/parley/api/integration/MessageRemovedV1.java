package io.parley.api.integration;

import java.time.Instant;
import java.util.UUID;

/**
 * A moderator upheld a flag and the message left every timeline ({@link
 * IntegrationTopics#MODERATION}, key {@code messageId}).
 */
public record MessageRemovedV1(
    String eventId, Instant occurredAt, UUID conversationId, UUID messageId, UUID flagId)
    implements IntegrationEvent {}
