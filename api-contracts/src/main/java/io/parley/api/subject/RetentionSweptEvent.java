package io.parley.api.subject;

import io.parley.api.privacy.DataCategory;
import java.time.Instant;
import org.axonframework.serialization.Revision;

/**
 * Data of {@code category} dated before {@code cutoff} has expired: the keys of every month that
 * ended before the cutoff are destroyed, and projections drop the expired content.
 */
@Revision("1")
public record RetentionSweptEvent(
    DataCategory category, Instant cutoff, int keysDestroyed, Instant sweptAt) {}
