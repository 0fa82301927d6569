package io.parley.api.moderation;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A moderator decided the flag: REVIEWING → RESOLVED. {@code raisedAt} is repeated so that time to
 * resolution can be measured from this event alone.
 */
@Revision("1")
public record FlagResolvedEvent(
    UUID flagId,
    UUID messageId,
    UUID conversationId,
    FlagOutcome outcome,
    String moderatorId,
    Instant raisedAt,
    Instant resolvedAt) {}
