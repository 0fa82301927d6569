package io.parley.api.integration;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A subject's erasure was requested and will be carried out at {@code effectiveAt} unless cancelled
 * ({@link IntegrationTopics#SUBJECTS}, key {@code subjectId}). The free-text reason and who asked
 * are not published. When it is carried out, the subject's key gets a tombstone.
 *
 * <p>{@code consents}: the subject's consent to each purpose (granted or not) as of this event, so
 * that the subject's latest record, the one compaction keeps, says all of it.
 */
public record ErasureRequestedV1(
    String eventId,
    Instant occurredAt,
    String subjectId,
    UUID erasureId,
    Instant effectiveAt,
    Map<String, Boolean> consents)
    implements IntegrationEvent {}
