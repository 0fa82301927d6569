package io.parley.api.integration;

import java.time.Instant;
import java.util.UUID;

/**
 * A moderator took a flag ({@link IntegrationTopics#MODERATION}, key {@code messageId}). The
 * moderator's id is not published.
 */
public record FlagReviewStartedV1(String eventId, Instant occurredAt, UUID flagId, UUID messageId)
    implements IntegrationEvent {}
