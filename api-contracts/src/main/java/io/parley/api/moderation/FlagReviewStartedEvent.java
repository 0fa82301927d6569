package io.parley.api.moderation;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/** A moderator took the flag: PENDING → REVIEWING. */
@Revision("1")
public record FlagReviewStartedEvent(
    UUID flagId, UUID messageId, String moderatorId, Instant startedAt) {}
