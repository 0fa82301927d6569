package io.parley.api.conversation;

import java.util.Set;
import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Starts a conversation owned by {@code ownerId}; the owner is always a participant. */
public record StartConversationCommand(
    @TargetAggregateIdentifier UUID conversationId,
    String ownerId,
    String title,
    Set<String> participants) {}
