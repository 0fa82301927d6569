package io.parley.api.conversation;

import java.util.UUID;

/** One conversation's detail, as seen by {@code callerId} (who must be a participant). */
public record FetchConversationQuery(UUID conversationId, String callerId) {}
