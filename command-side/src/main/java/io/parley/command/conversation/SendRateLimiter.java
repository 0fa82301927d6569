package io.parley.command.conversation;

import io.parley.api.error.RateLimitedException;
import java.util.UUID;

/**
 * How often one sender may send into one conversation. The state is shared by every node (the
 * adapter keeps it in PostgreSQL, in the command's own transaction: a command that fails later
 * gives its slot back).
 */
public interface SendRateLimiter {

  /**
   * Takes one slot for {@code senderId} in {@code conversationId}.
   *
   * @throws RateLimitedException when the sender has no slot left, with when the next one frees
   */
  void acquire(UUID conversationId, String senderId);
}
