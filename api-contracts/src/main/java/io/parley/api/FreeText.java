package io.parley.api;

import io.parley.api.error.InvalidInputException;

/**
 * The one rule for text a person writes (a conversation's title, a message, a flag's reason and
 * note, an erasure reason, a consent's policy version): surrounding white space is stripped, then
 * it is 1..max characters with no control character other than tab, line feed and carriage return
 * (PostgreSQL cannot store NUL, and none of the others belongs in such text). A violation is a 400
 * naming the field, never quoting the value.
 */
public final class FreeText {

  private FreeText() {}

  /**
   * {@code value} stripped, if it is then 1..{@code max} characters of allowed text; else a 400.
   */
  public static String require(String field, String value, int max) {
    String stripped = value == null ? "" : value.strip();
    if (stripped.isEmpty() || stripped.length() > max || hasForbiddenControlCharacters(stripped)) {
      throw new InvalidInputException(field, rule(max));
    }
    return stripped;
  }

  /** As {@link #require}, but an absent or blank value is {@code null} rather than a 400. */
  public static String optional(String field, String value, int max) {
    return value == null || value.isBlank() ? null : require(field, value, max);
  }

  /** Whether {@code value} holds a control character other than tab, line feed, carriage return. */
  public static boolean hasForbiddenControlCharacters(String value) {
    if (value == null) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
        return true;
      }
    }
    return false;
  }

  private static String rule(int max) {
    return "must be 1.."
        + max
        + " characters after trimming, without control characters other than tab and line breaks";
  }
}
