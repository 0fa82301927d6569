package io.parley.api.subject;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * The subject's keys are destroyed: everything encrypted under them is unrecoverable. A PII-free
 * certificate of what was erased.
 *
 * @param keysDestroyed data keys deleted
 * @param messages messages the subject had sent (now unreadable)
 * @param conversationsOwned conversations whose title was theirs
 * @param consentsCleared consent records removed from the read model
 */
@Revision("1")
public record SubjectErasedEvent(
    String subjectId,
    UUID erasureId,
    Instant erasedAt,
    int keysDestroyed,
    long messages,
    long conversationsOwned,
    long consentsCleared) {}
