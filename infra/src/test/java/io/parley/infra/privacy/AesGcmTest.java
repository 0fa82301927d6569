package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parley.api.privacy.DataCategory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class AesGcmTest {

  static SecretKey key() throws Exception {
    KeyGenerator generator = KeyGenerator.getInstance("AES");
    generator.init(256);
    return generator.generateKey();
  }

  @Test
  void roundTrips_withAFreshNonceEachTime() throws Exception {
    SecretKey key = key();
    byte[] aad = "pd1|eve|MESSAGE|2026-11".getBytes(StandardCharsets.UTF_8);
    byte[] first = AesGcm.encrypt(key, "hello".getBytes(StandardCharsets.UTF_8), aad);
    byte[] second = AesGcm.encrypt(key, "hello".getBytes(StandardCharsets.UTF_8), aad);
    assertThat(first).isNotEqualTo(second);
    assertThat(new String(AesGcm.decrypt(key, first, aad), StandardCharsets.UTF_8))
        .isEqualTo("hello");
  }

  @Test
  void rejectsTamperedCiphertext_wrongBinding_andWrongKey() throws Exception {
    SecretKey key = key();
    byte[] aad = "pd1|eve|MESSAGE|2026-11".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = AesGcm.encrypt(key, "hello".getBytes(StandardCharsets.UTF_8), aad);
    byte[] tampered = sealed.clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> AesGcm.decrypt(key, tampered, aad))
        .isInstanceOf(GeneralSecurityException.class);
    byte[] otherAad = "pd1|bob|MESSAGE|2026-11".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> AesGcm.decrypt(key, sealed, otherAad))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> AesGcm.decrypt(key(), sealed, aad))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void keyRefsAreMonthlyForExpiringCategories_andTimelessOtherwise() {
    Instant t = Instant.parse("2026-11-30T23:59:59Z");
    assertThat(DataKeyRef.of("eve", DataCategory.MESSAGE, t).period()).isEqualTo("2026-11");
    assertThat(DataKeyRef.of("eve", DataCategory.MESSAGE, t.plusSeconds(1)).period())
        .isEqualTo("2026-12");
    assertThat(DataKeyRef.of("eve", DataCategory.PROFILE, t).period())
        .isEqualTo(DataKeyRef.TIMELESS);
  }

  @Test
  void envelopesParse_andMalformedOnesDoNot() {
    assertThat(PersonalDataCipher.parse("pd1:eve:MESSAGE:2026-11:AAAA")).isPresent();
    assertThat(PersonalDataCipher.parse("pd1:eve:NOPE:2026-11:AAAA")).isEmpty();
    assertThat(PersonalDataCipher.parse("pd1:eve:MESSAGE")).isEmpty();
    assertThat(PersonalDataCipher.parse("clear text")).isEmpty();
  }
}
