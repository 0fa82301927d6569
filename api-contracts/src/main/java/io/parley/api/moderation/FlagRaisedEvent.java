package io.parley.api.moderation;

import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A participant flagged a message. The reason and the note are the flagger's own words, so they are
 * the flagger's personal data (flag evidence, kept 90 days by default). {@code toxicity} is the
 * message's score when it was sent.
 */
@Revision("1")
public record FlagRaisedEvent(
    UUID flagId,
    UUID messageId,
    UUID conversationId,
    String messageSenderId,
    String flaggerId,
    @PersonalData(
            subject = "flaggerId",
            category = DataCategory.FLAG_EVIDENCE,
            datedBy = "raisedAt")
        String reason,
    @PersonalData(
            subject = "flaggerId",
            category = DataCategory.FLAG_EVIDENCE,
            datedBy = "raisedAt")
        String note,
    BigDecimal toxicity,
    Instant raisedAt) {}
