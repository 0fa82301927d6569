package io.parley.api.card;

import java.time.Instant;
import java.util.UUID;

/**
 * One call (one attempt) to an external card provider, as the provenance ledger records it: never
 * the prompt or the answer, only the SHA-256 of the prompt sent. A call that served a batch of
 * cards is recorded on each of them with the same {@code callId} and {@code batchSize}; its tokens
 * are the whole call's.
 */
public record ProviderCall(
    UUID callId,
    String provider,
    String model,
    String promptSha256,
    long latencyMillis,
    ProviderCallOutcome outcome,
    int promptTokens,
    int completionTokens,
    int batchSize,
    Instant calledAt) {}
