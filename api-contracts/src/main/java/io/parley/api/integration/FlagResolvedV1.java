package io.parley.api.integration;

import java.time.Instant;
import java.util.UUID;

/**
 * A moderator decided a flag, {@code UPHELD} or {@code DISMISSED} ({@link
 * IntegrationTopics#MODERATION}, key {@code messageId}); {@code raisedAt} lets a consumer measure
 * the time to resolution from this record alone.
 */
public record FlagResolvedV1(
    String eventId,
    Instant occurredAt,
    UUID flagId,
    UUID messageId,
    UUID conversationId,
    String outcome,
    Instant raisedAt)
    implements IntegrationEvent {}
