package io.parley.api.subject;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Cancels a pending erasure while its grace period runs. */
public record CancelErasureCommand(@TargetAggregateIdentifier String subjectId) {}
