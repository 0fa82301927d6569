package io.parley.api.moderation;

import java.util.UUID;

/**
 * Where a delivered, visible message lives, for a participant who wants to flag it. Answers {@link
 * FlaggableMessageView}; unknown, blocked and removed messages are not found, and a caller who is
 * not a participant of the message's conversation is refused.
 */
public record FetchFlaggableMessageQuery(UUID messageId, String callerId) {}
