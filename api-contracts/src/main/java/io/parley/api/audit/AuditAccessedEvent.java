package io.parley.api.audit;

import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A compliance officer read the audit trail (API.md "Audit"): who, why, what they asked for and how
 * many events they were given. Recorded for every audit read that passed validation, in its own
 * transaction, before the response completes; it appears in later reads of the event stream.
 *
 * @param readerId the reader's user id (the token's subject)
 * @param reason the {@code X-Audit-Reason} header: the reader's own words, so their personal data
 * @param endpoint which audit read: {@link #EVENTS}, {@link #CONVERSATION_STATE} or {@link
 *     #INTEGRITY}
 * @param filters the read's parameters as given (for example {@code aggregateId}, {@code from},
 *     {@code asOf}); absent ones are left out
 * @param eventsReturned how many events the read returned (replayed, applied or verified)
 */
@Revision("1")
public record AuditAccessedEvent(
    UUID accessId,
    String readerId,
    @PersonalData(subject = "readerId", category = DataCategory.PROFILE) String reason,
    String endpoint,
    Map<String, String> filters,
    long eventsReturned,
    Instant accessedAt) {

  public static final String EVENTS = "events";
  public static final String CONVERSATION_STATE = "conversation-state";
  public static final String INTEGRITY = "integrity";
}
