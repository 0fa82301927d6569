package io.parley.api.subject;

/** Has {@code subjectId} granted {@code purpose} now? Answered with a {@code Boolean}. */
public record HasConsentQuery(String subjectId, ConsentPurpose purpose) {}
