package io.parley.api.integration;

import java.util.List;

/**
 * The Kafka topics Parley publishes to, and what keys their records (docs/integration-events.md).
 */
public final class IntegrationTopics {

  /** Conversation events, keyed by conversation id. */
  public static final String CONVERSATIONS = "parley.conversations.v1";

  /** Moderation events (blocked messages, flags, removals), keyed by message id. */
  public static final String MODERATION = "parley.moderation.v1";

  /** Card events (requested, generated, failed), keyed by card id. No title, caption or user id. */
  public static final String CARDS = "parley.cards.v1";

  /**
   * Consent and erasure events, keyed by subject (user) id; compacted. The only topic that carries
   * user ids; a subject's erasure publishes a tombstone (null value) under their key.
   */
  public static final String SUBJECTS = "parley.subjects.v1";

  /** Every topic, in the order above. */
  public static final List<String> ALL = List.of(CONVERSATIONS, MODERATION, CARDS, SUBJECTS);

  /** The tombstone's {@code eventType} header: the subject's erasure was carried out. */
  public static final String SUBJECT_ERASED = "SubjectErased";

  private IntegrationTopics() {}
}
