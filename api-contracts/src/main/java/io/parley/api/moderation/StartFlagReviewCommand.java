package io.parley.api.moderation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A moderator takes a pending flag: PENDING → REVIEWING. */
public record StartFlagReviewCommand(@TargetAggregateIdentifier UUID flagId, String moderatorId) {}
