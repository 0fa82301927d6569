package io.parley.api;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Time-ordered identifiers: RFC 9562 UUID version 7 (48 bits of Unix milliseconds, then 74 random
 * bits). Ids made one after another sort (and land in a B-tree index) next to each other, so the
 * index pages new rows go to stay in memory however large the table grows — unlike random (version
 * 4) UUIDs, which touch a random page of the whole index for every insert. Used for the ids Parley
 * mints: conversations, messages, cards, erasures, and Axon's event identifiers.
 *
 * <p>An id reveals the millisecond it was made; every id Parley mints belongs to something whose
 * time a client may see anyway (a message's {@code sentAt}). The random bits come from {@link
 * ThreadLocalRandom}: the ids name things, they authorize nothing (every read and write checks the
 * caller).
 */
public final class TimeOrderedIds {

  private TimeOrderedIds() {}

  /** A new version-7 UUID for now. */
  public static UUID next() {
    return at(System.currentTimeMillis());
  }

  /** A new version-7 UUID for the given Unix time in milliseconds. */
  public static UUID at(long unixMillis) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long mostSignificant =
        (unixMillis << 16) // 48 bits of time
            | 0x7000L // version 7
            | (random.nextInt() & 0x0FFFL); // 12 random bits
    long leastSignificant =
        (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
    return new UUID(mostSignificant, leastSignificant);
  }
}
