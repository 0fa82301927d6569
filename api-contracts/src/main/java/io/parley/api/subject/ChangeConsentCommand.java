package io.parley.api.subject;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Grants or withdraws one purpose under a policy version, for the subject (the caller). */
public record ChangeConsentCommand(
    @TargetAggregateIdentifier String subjectId,
    ConsentPurpose purpose,
    boolean granted,
    String policyVersion) {}
