package io.parley.api.timeline;

import java.util.UUID;

/**
 * A page of a conversation's timeline, newest first: at most {@code limit} messages whose position
 * is below {@code beforePosition} (all when null).
 */
public record FetchTimelineQuery(
    UUID conversationId, String callerId, int limit, Long beforePosition) {}
