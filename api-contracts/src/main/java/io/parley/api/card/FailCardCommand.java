package io.parley.api.card;

import java.util.List;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The card could not be made. {@code providerCalls} are the external calls tried (the provenance
 * ledger). A card that already ended is left as it is.
 */
public record FailCardCommand(
    @TargetAggregateIdentifier UUID cardId,
    UUID conversationId,
    CardFailureReason reason,
    List<ProviderCall> providerCalls) {}
