package io.parley.api.conversation;

import java.time.Instant;
import java.util.UUID;

public record ConversationSummary(
    UUID conversationId, String title, Instant lastMessageAt, long messageCount) {}
