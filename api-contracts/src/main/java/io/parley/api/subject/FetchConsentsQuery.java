package io.parley.api.subject;

/** The subject's current consents (one per purpose) and their full history. */
public record FetchConsentsQuery(String subjectId) {}
