package io.parley.api.conversation;

import io.parley.api.moderation.ToxicityScores;
import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A message scored at or above its conversation's block threshold: recorded for audit, delivered to
 * no one, and without a position in the conversation. Its text is the sender's personal data, kept
 * only as long as blocked messages are (30 days by default).
 */
@Revision("1")
public record MessageBlockedEvent(
    UUID conversationId,
    UUID messageId,
    String senderId,
    @PersonalData(
            subject = "senderId",
            category = DataCategory.BLOCKED_MESSAGE,
            datedBy = "blockedAt")
        String text,
    ToxicityScores scores,
    String scorer,
    Instant blockedAt) {}
