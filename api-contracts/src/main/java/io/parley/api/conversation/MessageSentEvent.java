package io.parley.api.conversation;

import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A message was accepted and delivered. {@code position} is its number within the conversation (1,
 * 2, 3, … without gaps), assigned by the aggregate. {@code text} is the sender's personal data:
 * stored encrypted, and {@code null} once erased or expired.
 */
@Revision("1")
public record MessageSentEvent(
    UUID conversationId,
    UUID messageId,
    long position,
    String senderId,
    @PersonalData(subject = "senderId", category = DataCategory.MESSAGE, datedBy = "sentAt")
        String text,
    Verdict verdict,
    BigDecimal toxicity,
    Instant sentAt) {}
