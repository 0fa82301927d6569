package io.parley.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The loops accept exactly what Spring Security's StrictHttpFirewall patterns accept. */
class HeaderCharactersTest {

  // StrictHttpFirewall 6.5's defaults for header names and header values.
  static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
  static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

  @Test
  void everyCodePointIsJudgedAsTheFirewallPatternsJudgeIt() {
    for (int c = 0; c <= Character.MAX_CODE_POINT; c++) {
      String s = new String(Character.toChars(c));
      assertThat(HeaderCharacters.NAME.test(s)).as("U+%04X name", c).isEqualTo(matches(NAME, s));
      assertThat(HeaderCharacters.VALUE.test(s)).as("U+%04X value", c).isEqualTo(matches(VALUE, s));
    }
  }

  @Test
  void mixedStrings_loneSurrogates_andTheEmptyString() {
    Random random = new Random(42);
    int[] interesting = {
      '\t', '\n', '\r', 0, 0x7F, 0x85, 0x9F, 'a', ' ', 0xD800, 0xDC00, 0x378, 0x1F600, 0xE000,
      0xFFFF, 0x10FFFF
    };
    for (int n = 0; n < 20_000; n++) {
      StringBuilder s = new StringBuilder();
      int length = random.nextInt(12);
      for (int i = 0; i < length; i++) {
        int c =
            random.nextInt(3) == 0
                ? interesting[random.nextInt(interesting.length)]
                : 0x20 + random.nextInt(0x5F);
        if (Character.isSupplementaryCodePoint(c)) {
          s.appendCodePoint(c);
        } else {
          s.append((char) c); // lone surrogates included
        }
      }
      String value = s.toString();
      assertThat(HeaderCharacters.NAME.test(value)).as(value).isEqualTo(matches(NAME, value));
      assertThat(HeaderCharacters.VALUE.test(value)).as(value).isEqualTo(matches(VALUE, value));
    }
  }

  private static boolean matches(Pattern pattern, String s) {
    return pattern.matcher(s).matches();
  }
}
