package io.parley.api.card;

import java.util.Base64;
import java.util.Set;

/**
 * A picture an external provider drew for a card ({@code parley.cards.provider.images}), served
 * inside the card's artwork, never hot-linked: the artwork (text-analysis's {@code CardArtwork})
 * leaves {@link #SLOT} in its art window, and the read side puts the picture there as a {@code
 * data:} URI while the picture exists (it is deleted with the card's text on a contributor's
 * erasure).
 */
public final class CardPicture {

  /** Where a picture goes in an artwork: an empty group inside the art window's clip. */
  public static final String SLOT = "<g id=\"picture\"/>";

  /** The media types a picture may have. */
  public static final Set<String> MEDIA_TYPES = Set.of("image/png", "image/jpeg", "image/webp");

  /** The largest picture kept, in bytes. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;

  private CardPicture() {}

  /**
   * {@code svg} with the picture in its slot, filling the art window; {@code svg} unchanged when it
   * has no slot (artwork drawn before pictures existed) or the media type is not an image type
   * Parley keeps.
   */
  public static String embed(String svg, String mediaType, byte[] picture) {
    int slot = svg.indexOf(SLOT);
    if (slot < 0 || !MEDIA_TYPES.contains(mediaType) || picture.length > MAX_BYTES) {
      return svg;
    }
    String image =
        "<image x=\"24\" y=\"56\" width=\"252\" height=\"256\""
            + " preserveAspectRatio=\"xMidYMid slice\" href=\"data:"
            + mediaType
            + ";base64,"
            + Base64.getEncoder().encodeToString(picture)
            + "\"/>";
    return svg.substring(0, slot) + image + svg.substring(slot + SLOT.length());
  }

  /** The media type of {@code bytes} by their magic number, or null when not PNG, JPEG or WebP. */
  public static String mediaTypeOf(byte[] bytes) {
    if (bytes.length >= 8
        && (bytes[0] & 0xff) == 0x89
        && bytes[1] == 'P'
        && bytes[2] == 'N'
        && bytes[3] == 'G') {
      return "image/png";
    }
    if (bytes.length >= 3
        && (bytes[0] & 0xff) == 0xff
        && (bytes[1] & 0xff) == 0xd8
        && (bytes[2] & 0xff) == 0xff) {
      return "image/jpeg";
    }
    if (bytes.length >= 12
        && bytes[0] == 'R'
        && bytes[1] == 'I'
        && bytes[2] == 'F'
        && bytes[3] == 'F'
        && bytes[8] == 'W'
        && bytes[9] == 'E'
        && bytes[10] == 'B'
        && bytes[11] == 'P') {
      return "image/webp";
    }
    return null;
  }
}
