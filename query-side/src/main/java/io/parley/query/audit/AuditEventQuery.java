package io.parley.query.audit;

import java.time.Instant;

/**
 * One replay of the event store, validated: every filter optional ({@code null}) but {@code after}
 * (0 = from the start) and {@code limit}.
 *
 * @param aggregateId only this aggregate's events
 * @param subjectId only events whose actor is this user or whose personal fields are theirs
 * @param payloadType only events of this stored payload type (class name)
 * @param from only events stored at or after this instant (inclusive)
 * @param to only events stored before this instant (exclusive)
 * @param after only events whose global index is greater
 * @param limit at most this many events
 */
public record AuditEventQuery(
    String aggregateId,
    String subjectId,
    String payloadType,
    Instant from,
    Instant to,
    long after,
    int limit) {}
