package io.parley.query.audit;

/**
 * One row of Axon's {@code domain_event_entry} exactly as stored (not the deserialized, upcasted
 * event): what the audit chain hashes.
 */
record StoredEventRow(
    long globalIndex,
    String eventIdentifier,
    String aggregateType,
    String aggregateIdentifier,
    long sequenceNumber,
    String timeStamp,
    String payloadType,
    String payloadRevision,
    byte[] payload,
    byte[] metaData) {}
