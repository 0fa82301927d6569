package io.parley.ops.saga;

import io.parley.api.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque cursor of the saga list: the last saga id of a page (instances are listed in saga id
 * order, which is stable while instances come and go), base64url-encoded behind a prefix so that a
 * cursor of another list is refused. Anything that is not a cursor this API returned is a 400
 * naming {@code after}.
 */
final class SagaCursor {

  static final String PARAMETER = "after";
  private static final String PREFIX = "s:";
  private static final int MAX_ID = 255;

  private SagaCursor() {}

  /** The cursor after {@code sagaId}, or null (no further page). */
  static String encode(String sagaId) {
    if (sagaId == null) {
      return null;
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + sagaId).getBytes(StandardCharsets.UTF_8));
  }

  /** The saga id a cursor points after, null for none. */
  static String decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (raw.startsWith(PREFIX)
          && raw.length() > PREFIX.length()
          && raw.length() <= PREFIX.length() + MAX_ID
          && raw.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        return raw.substring(PREFIX.length());
      }
    } catch (IllegalArgumentException malformed) {
      // fall through to the 400 below
    }
    throw new InvalidInputException(PARAMETER, "is not a cursor this API returned");
  }
}
