package io.parley.api.conversation;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ParticipantAddedEvent(
    UUID conversationId, String userId, String addedBy, Instant addedAt) {}
