package io.parley.api.moderation;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A moderator upheld a flag: the message disappears from every timeline. Nothing is deleted: the
 * message's own event stays in the store for audit, and its text follows retention and erasure.
 * {@code messageSenderId} lets projections order it with the message's own events (same sender).
 */
@Revision("1")
public record MessageRemovedEvent(
    UUID conversationId,
    UUID messageId,
    String messageSenderId,
    UUID flagId,
    String moderatorId,
    Instant removedAt) {}
