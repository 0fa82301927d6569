package io.parley.api.integration;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone joined a conversation ({@link IntegrationTopics#CONVERSATIONS}, key {@code
 * conversationId}). Who joined and who added them are user ids: not published.
 */
public record ParticipantAddedV1(String eventId, Instant occurredAt, UUID conversationId)
    implements IntegrationEvent {}
