package io.parley.api.subject;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Carries out a due erasure: sent by the erasure saga at the deadline (or at once). */
public record EraseSubjectCommand(@TargetAggregateIdentifier String subjectId, UUID erasureId) {}
