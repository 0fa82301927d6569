package io.parley.api.subject;

import java.time.Duration;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Asks for the subject's personal data to be erased after {@code gracePeriod} (zero: at once).
 * {@code reason} is free text from a compliance officer, or null for a subject's own request.
 */
public record RequestErasureCommand(
    @TargetAggregateIdentifier String subjectId,
    UUID erasureId,
    String requestedBy,
    Duration gracePeriod,
    String reason) {}
