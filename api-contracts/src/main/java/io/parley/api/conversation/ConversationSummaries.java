package io.parley.api.conversation;

import java.util.List;

public record ConversationSummaries(List<ConversationSummary> items) {}
