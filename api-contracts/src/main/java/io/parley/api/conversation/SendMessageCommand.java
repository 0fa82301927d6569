package io.parley.api.conversation;

import java.util.UUID;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Sends a message. {@code clientMessageId} is the client's optional idempotency key: a retry with
 * the same key from the same sender answers the first {@link MessageSendResult} and appends
 * nothing.
 */
public record SendMessageCommand(
    @TargetAggregateIdentifier UUID conversationId,
    UUID messageId,
    String senderId,
    String text,
    String clientMessageId) {}
