package io.parley.api.conversation;

import io.parley.api.moderation.ToxicityScores;
import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A message was accepted and delivered. {@code position} is its number within the conversation (1,
 * 2, 3, … without gaps), assigned by the aggregate. {@code text} is the sender's personal data:
 * stored encrypted, and {@code null} once erased or expired. {@code verdict} is {@code ALLOWED} or
 * {@code WARNED} (blocked messages are a {@link MessageBlockedEvent}); {@code toxicity} is the
 * highest of {@code scores}, which {@code scorer} produced.
 *
 * <p>Revision 2 added {@code scores} and {@code scorer}; {@code MessageSentEventUpcaster} reads
 * revision 1 events (all sent before scoring existed) as unscored.
 */
@Revision("2")
public record MessageSentEvent(
    UUID conversationId,
    UUID messageId,
    long position,
    String senderId,
    @PersonalData(subject = "senderId", category = DataCategory.MESSAGE, datedBy = "sentAt")
        String text,
    Verdict verdict,
    BigDecimal toxicity,
    ToxicityScores scores,
    String scorer,
    Instant sentAt) {

  /** The scorer name of messages sent before scoring existed. */
  public static final String UNSCORED = "none";
}
