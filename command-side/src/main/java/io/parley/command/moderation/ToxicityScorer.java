package io.parley.command.moderation;

/**
 * The port through which a message's text is scored for toxicity before it is accepted. Adapters
 * live in {@code infra}: the built-in lexicon scorer (the default, no network) and the Perspective
 * API adapter, which falls back to the built-in scorer when Perspective fails.
 *
 * <p>Implementations never throw for any text and never log the text: it is personal data.
 */
public interface ToxicityScorer {

  /** Scores {@code text} (already validated: 1..10,000 characters, trimmed). */
  ToxicityAssessment score(String text);
}
