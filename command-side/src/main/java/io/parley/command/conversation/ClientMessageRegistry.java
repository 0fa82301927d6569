package io.parley.command.conversation;

import io.parley.api.conversation.MessageSendResult;
import java.util.Optional;
import java.util.UUID;

/**
 * Remembers the outcome of each {@code clientMessageId}, so a retried send answers the first result
 * and appends no second event.
 *
 * <p>Implementations must write in the transaction of the command's unit of work, so that the
 * record and the {@code MessageSentEvent} commit or roll back together.
 */
public interface ClientMessageRegistry {

  Optional<MessageSendResult> find(UUID conversationId, String senderId, String clientMessageId);

  /**
   * Records the outcome. If another node recorded the same key concurrently, throws an exception
   * that makes the command be retried (where it will then find the first outcome).
   */
  void register(
      UUID conversationId, String senderId, String clientMessageId, MessageSendResult result);
}
