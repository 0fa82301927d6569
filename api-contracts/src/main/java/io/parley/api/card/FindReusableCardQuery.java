package io.parley.api.card;

/**
 * The provenance ledger's reuse rule: an earlier READY card of the same window (same {@code
 * windowHash}) written by the same provider and model, whose text is still readable. Answered with
 * a {@link ReusableCard}, or null.
 */
public record FindReusableCardQuery(String windowHash, String provider, String model) {}
