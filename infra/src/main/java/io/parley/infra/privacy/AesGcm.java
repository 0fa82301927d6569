package io.parley.infra.privacy;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM from the JDK: a fresh random 96-bit nonce per encryption, a 128-bit tag, and
 * associated data that binds each ciphertext to where it belongs. Output is nonce ‖ ciphertext+tag.
 */
final class AesGcm {

  static final int NONCE_BYTES = 12;
  static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private AesGcm() {}

  static byte[] encrypt(SecretKey key, byte[] plaintext, byte[] associatedData) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData);
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** Throws {@link GeneralSecurityException} when the key is wrong or the data was altered. */
  static byte[] decrypt(SecretKey key, byte[] nonceAndCiphertext, byte[] associatedData)
      throws GeneralSecurityException {
    if (nonceAndCiphertext.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new GeneralSecurityException("ciphertext too short");
    }
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        Cipher.DECRYPT_MODE,
        key,
        new GCMParameterSpec(TAG_BITS, nonceAndCiphertext, 0, NONCE_BYTES));
    cipher.updateAAD(associatedData);
    return cipher.doFinal(nonceAndCiphertext, NONCE_BYTES, nonceAndCiphertext.length - NONCE_BYTES);
  }
}
