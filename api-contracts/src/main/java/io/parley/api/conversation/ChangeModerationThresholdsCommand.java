package io.parley.api.conversation;

import java.math.BigDecimal;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Changes a conversation's toxicity thresholds. Allowed for the owner, or for a caller holding the
 * MODERATOR role ({@code requesterIsModerator}, established by the HTTP layer from the token).
 */
public record ChangeModerationThresholdsCommand(
    @TargetAggregateIdentifier UUID conversationId,
    String requesterId,
    boolean requesterIsModerator,
    BigDecimal warnThreshold,
    BigDecimal blockThreshold) {}
