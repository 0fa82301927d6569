package io.parley.api.moderation;

/**
 * The moderator queue, oldest first: at most {@code limit} flags with {@code status} (every status
 * when null), raised after the flag at {@code afterSequence} (from the start when null).
 */
public record FetchFlagsQuery(FlagStatus status, int limit, Long afterSequence) {}
