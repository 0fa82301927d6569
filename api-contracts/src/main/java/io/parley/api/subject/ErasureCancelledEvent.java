package io.parley.api.subject;

import java.time.Instant;
import java.util.UUID;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ErasureCancelledEvent(String subjectId, UUID erasureId, Instant cancelledAt) {}
