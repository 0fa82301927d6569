package io.parley.api.integration;

import java.time.Instant;
import java.util.Map;

/**
 * A subject granted consent to a purpose ({@link IntegrationTopics#SUBJECTS}, key {@code
 * subjectId}).
 *
 * <p>{@code consents}: the subject's consent to each purpose (granted or not) as of this event, so
 * that the subject's latest record, the one compaction keeps, says all of it.
 */
public record ConsentGrantedV1(
    String eventId,
    Instant occurredAt,
    String subjectId,
    String purpose,
    String policyVersion,
    Map<String, Boolean> consents)
    implements IntegrationEvent {}
