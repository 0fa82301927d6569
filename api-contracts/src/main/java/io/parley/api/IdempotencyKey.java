package io.parley.api;

import io.parley.api.conversation.ConversationLimits;
import io.parley.api.error.InvalidInputException;

/**
 * API.md: "Commands are idempotent where the client supplies a key ({@code clientMessageId}, or an
 * {@code Idempotency-Key} header on any POST): a retry returns the first outcome and produces no
 * second event."
 */
public final class IdempotencyKey {

  public static final String HEADER = "Idempotency-Key";

  public static final int MAX_LENGTH = ConversationLimits.CLIENT_MESSAGE_ID_MAX;

  private IdempotencyKey() {}

  /** Returns {@code key} if it is 1..128 characters without control characters; else a 400. */
  public static String requireValid(String key, String field) {
    if (key.isBlank() || key.length() > MAX_LENGTH || FreeText.hasForbiddenControlCharacters(key)) {
      throw new InvalidInputException(
          field,
          "idempotency keys are 1.." + MAX_LENGTH + " characters, without control characters");
    }
    return key;
  }
}
