package io.parley.api.moderation;

/** Who raised a flag: a participant, or the toxicity scorer (a message at or above warn). */
public enum FlagSource {
  USER,
  AUTO
}
