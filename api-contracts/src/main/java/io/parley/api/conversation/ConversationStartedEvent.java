package io.parley.api.conversation;

import io.parley.api.privacy.DataCategory;
import io.parley.api.privacy.PersonalData;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.axonframework.serialization.Revision;

/**
 * A conversation began. {@code participants} includes the owner. The title is the owner's personal
 * data: {@code null} once the owner is erased.
 */
@Revision("1")
public record ConversationStartedEvent(
    UUID conversationId,
    String ownerId,
    @PersonalData(subject = "ownerId", category = DataCategory.PROFILE) String title,
    Set<String> participants,
    BigDecimal warnThreshold,
    BigDecimal blockThreshold,
    Instant startedAt) {}
