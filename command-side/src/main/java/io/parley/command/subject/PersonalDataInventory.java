package io.parley.command.subject;

/** Counts what Parley holds about a subject, for the PII-free erasure certificate. */
public interface PersonalDataInventory {

  Counts count(String subjectId);

  record Counts(long messages, long conversationsOwned, long consents) {}
}
