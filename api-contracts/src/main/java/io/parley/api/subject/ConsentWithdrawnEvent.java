package io.parley.api.subject;

import java.time.Instant;
import org.axonframework.serialization.Revision;

@Revision("1")
public record ConsentWithdrawnEvent(
    String subjectId, ConsentPurpose purpose, String policyVersion, Instant changedAt) {}
