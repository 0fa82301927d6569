package io.parley.command.card;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * API.md: "Cards are also made automatically every N delivered messages" ({@code
 * parley.cards.every-messages}, default 50; 0 turns automatic cards off). The conversation requests
 * one in the unit of work that delivers every N-th message, so it costs the message path no query
 * and no other processor.
 */
public record AutomaticCards(int everyMessages) {

  public AutomaticCards {
    if (everyMessages < 0) {
      throw new IllegalArgumentException("parley.cards.every-messages must be 0 (off) or more");
    }
  }

  /** Whether the delivery of the message at {@code position} requests a card. */
  public boolean dueAt(long position) {
    return everyMessages > 0 && position > 0 && position % everyMessages == 0;
  }

  /**
   * The id of a conversation's {@code number}-th card when it is automatic: derived, so the same
   * delivery always names the same card.
   */
  public static UUID cardIdFor(UUID conversationId, long number) {
    return UUID.nameUUIDFromBytes(
        ("automatic-card\n" + conversationId + "\n" + number).getBytes(StandardCharsets.UTF_8));
  }
}
