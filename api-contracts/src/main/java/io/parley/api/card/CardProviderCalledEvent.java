package io.parley.api.card;

import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The provenance ledger: an external provider was called (once per attempt) for this card. Holds no
 * prompt and no answer, only the prompt's SHA-256.
 */
@Revision("1")
public record CardProviderCalledEvent(UUID cardId, UUID conversationId, ProviderCall call) {}
