package io.parley.api.conversation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Adds {@code userId} to a conversation; only a participant ({@code requesterId}) may do so. */
public record AddParticipantCommand(
    @TargetAggregateIdentifier UUID conversationId, String requesterId, String userId) {}
