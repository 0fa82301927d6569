package io.parley.query;

import io.parley.api.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque page cursor over a positive position (a keyset), base64url-encoded with a prefix that
 * names what it counts, so a cursor from one list is refused by another.
 */
public final class KeysetCursor {

  private final String prefix;
  private final String parameter;

  /**
   * @param prefix marks what the position counts (for example {@code "p:"})
   * @param parameter the query parameter that carries the cursor, named in the 400 it causes
   */
  public KeysetCursor(String prefix, String parameter) {
    this.prefix = prefix;
    this.parameter = parameter;
  }

  /** The cursor of {@code position}, or null (no further page). */
  public String encode(Long position) {
    if (position == null) {
      return null;
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((prefix + position).getBytes(StandardCharsets.US_ASCII));
  }

  /** The position of a cursor this API returned, null for none; anything else is a 400. */
  public Long decode(String cursor) {
    if (cursor == null) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (raw.startsWith(prefix)) {
        long position = Long.parseLong(raw.substring(prefix.length()));
        if (position > 0) {
          return position;
        }
      }
    } catch (IllegalArgumentException malformed) {
      // fall through to the 400 below
    }
    throw new InvalidInputException(parameter, "is not a cursor this API returned");
  }
}
