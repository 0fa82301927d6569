package io.parley.text.card;

import java.util.Objects;

/**
 * One message of a card's window, as the caller passes it: only messages of participants who
 * consented to card generation, in conversation order. {@code text} is personal data: the generator
 * never logs it.
 */
public record WindowMessage(String authorId, String text) {

  /** Both are required ({@code text} may be blank). */
  public WindowMessage {
    Objects.requireNonNull(authorId, "authorId");
    Objects.requireNonNull(text, "text");
  }

  /** Hides the text, so that a log line or an exception message never carries it. */
  @Override
  public String toString() {
    return "WindowMessage[authorId=" + authorId + ", text=(" + text.length() + " chars)]";
  }
}
