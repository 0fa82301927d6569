package io.parley.api.subject;

import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * Erasure was requested and becomes effective at {@code effectiveAt}. The free-text reason is
 * personal data of whoever requested it.
 */
@Revision("1")
public record ErasureRequestedEvent(
    String subjectId,
    UUID erasureId,
    String requestedBy,
    @PersonalData(subject = "requestedBy", category = DataCategory.PROFILE) String reason,
    Instant requestedAt,
    Instant effectiveAt) {}
