package io.parley.text.card;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The SHA-256 of a window: each message's author id and text, UTF-8, each field ended by a NUL
 * byte, in order. The same messages always hash the same; any change of author, text or order
 * changes it. The artwork draws its colours and shapes from it, and a caller may key results on it.
 */
public final class WindowHash {

  private WindowHash() {}

  /** The 32 bytes of the window's SHA-256. */
  public static byte[] sha256(List<WindowMessage> messages) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java platform has SHA-256", e);
    }
    for (WindowMessage message : messages) {
      digest.update(message.authorId().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(message.text().getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
    }
    return digest.digest();
  }

  /** The window's SHA-256 as 64 lower-case hex digits. */
  public static String sha256Hex(List<WindowMessage> messages) {
    return HexFormat.of().formatHex(sha256(messages));
  }
}
