package io.parley.api.subject;

import java.time.Instant;
import java.util.UUID;

/** What requesting erasure answers (the pending request's, if one was already running). */
public record ErasureRequestResult(UUID erasureId, Instant effectiveAt) {}
