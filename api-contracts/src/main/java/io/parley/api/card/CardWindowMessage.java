package io.parley.api.card;

import java.util.UUID;

/**
 * One message a card may draw on. {@code aiProcessing}: its sender has also granted AI_PROCESSING,
 * so an external provider may see it.
 */
public record CardWindowMessage(
    UUID messageId, String senderId, long position, String text, boolean aiProcessing) {

  @Override
  public String toString() {
    return "CardWindowMessage[messageId="
        + messageId
        + ", position="
        + position
        + ", text=("
        + (text == null ? 0 : text.length())
        + " chars)]";
  }
}
