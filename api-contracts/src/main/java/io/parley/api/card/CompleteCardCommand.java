package io.parley.api.card;

import java.util.List;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The card generation saga made the card. {@code providerCalls} are the external calls it took (the
 * provenance ledger), recorded before the card. A card that already ended is left as it is.
 */
public record CompleteCardCommand(
    @TargetAggregateIdentifier UUID cardId,
    UUID conversationId,
    CardContent content,
    List<ProviderCall> providerCalls) {}
