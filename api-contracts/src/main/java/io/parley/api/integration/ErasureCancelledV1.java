package io.parley.api.integration;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A pending erasure was cancelled ({@link IntegrationTopics#SUBJECTS}, key {@code subjectId}).
 *
 * <p>{@code consents}: the subject's consent to each purpose (granted or not) as of this event, so
 * that the subject's latest record, the one compaction keeps, says all of it.
 */
public record ErasureCancelledV1(
    String eventId,
    Instant occurredAt,
    String subjectId,
    UUID erasureId,
    Map<String, Boolean> consents)
    implements IntegrationEvent {}
