package io.parley.infra.security;

import java.util.function.Predicate;

/**
 * The header checks of Spring Security's {@code StrictHttpFirewall}, as loops instead of regular
 * expressions: the same characters pass, at a fraction of the cost.
 *
 * <p>The firewall checks a header every time anything reads it, and a request's bearer token (~600
 * characters) is read several times by the resource server's filters. With the default {@code
 * [\p{IsAssigned}&&[^\p{IsControl}]]*} pattern that was 12 % of Parley's CPU on the message path
 * (docs/benchmarks.md). {@code HeaderCharactersTest} checks every code point against the firewall's
 * own patterns.
 */
final class HeaderCharacters {

  /** The firewall's default for header names: assigned code points, no control characters. */
  static final Predicate<String> NAME = s -> allMatch(s, false);

  /** The firewall's default for header values: as {@link #NAME}, and tab is allowed. */
  static final Predicate<String> VALUE = s -> allMatch(s, true);

  private HeaderCharacters() {}

  private static boolean allMatch(String s, boolean tabAllowed) {
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      // isISOControl is exactly Unicode category Cc ({@code \p{IsControl}}); isDefined is every
      // category but Cn ({@code \p{IsAssigned}}).
      if (c < 0x7F && c >= 0x20) {
        i++;
        continue; // printable ASCII, the common case
      }
      if (!Character.isDefined(c) || (Character.isISOControl(c) && !(tabAllowed && c == '\t'))) {
        return false;
      }
      i += Character.charCount(c);
    }
    return true;
  }
}
