package io.parley.api.conversation;

/** The conversations {@code userId} takes part in, most recently active first. */
public record FetchConversationsQuery(String userId) {}
