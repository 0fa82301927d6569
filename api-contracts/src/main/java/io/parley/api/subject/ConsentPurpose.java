package io.parley.api.subject;

/** What a data subject may consent to. All default to not granted. */
public enum ConsentPurpose {
  CARD_GENERATION,
  ANALYTICS,
  AI_PROCESSING
}
