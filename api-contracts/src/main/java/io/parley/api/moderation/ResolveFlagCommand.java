package io.parley.api.moderation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A moderator decides a flag under review: REVIEWING → RESOLVED with {@code outcome}. */
public record ResolveFlagCommand(
    @TargetAggregateIdentifier UUID flagId, String moderatorId, FlagOutcome outcome) {}
