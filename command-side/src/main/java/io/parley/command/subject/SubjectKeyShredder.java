package io.parley.command.subject;

/**
 * Destroys every data key of a subject, making all of their encrypted personal data unrecoverable
 * (crypto-shredding). Runs in the command's transaction: the keys go if and only if the {@code
 * SubjectErasedEvent} is stored.
 */
public interface SubjectKeyShredder {

  /** Returns the number of keys destroyed. */
  int shredAllKeysOf(String subjectId);
}
