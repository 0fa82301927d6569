package io.parley.query.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;
import org.axonframework.serialization.upcasting.event.EventUpcaster;
import org.axonframework.serialization.upcasting.event.EventUpcasterChain;
import org.axonframework.serialization.upcasting.event.InitialEventRepresentation;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Streams stored events as NDJSON, oldest first, with constant memory: one read-only transaction,
 * one server-side cursor over {@code domain_event_entry} (rows fetched {@value #FETCH_SIZE} at a
 * time), each row upcast and deserialized by Axon's event serializer (so personal fields are
 * decrypted where their keys live), written and forgotten. The transaction ends however the stream
 * ends, including when the client goes away mid-stream (the next write fails).
 *
 * <p>The event store is read with SQL rather than through {@code EventStorageEngine} so that the
 * filters (aggregate, type, time, subject through {@code audit_subject_event}) are answered by
 * PostgreSQL instead of by deserializing every event in Java.
 */
@Component
public class AuditEventReader {

  static final int FETCH_SIZE = 500;
  static final String ERASED = "[erased]";

  private final DSLContext db;
  private final Serializer serializer;
  private final EventUpcasterChain upcasters;
  private final ObjectMapper json;
  private final TransactionTemplate readOnly;

  public AuditEventReader(
      DSLContext db,
      @Qualifier("eventSerializer") Serializer serializer,
      ObjectProvider<EventUpcaster> upcasters,
      ObjectMapper httpMapper,
      PlatformTransactionManager transactions) {
    this.db = db;
    this.serializer = serializer;
    this.upcasters = new EventUpcasterChain(upcasters.orderedStream().toList());
    this.json = httpMapper;
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
  }

  /**
   * Writes the events {@code query} selects to {@code out}, one JSON object a line; calls {@code
   * written} after each line handed to {@code out}. Returns how many were written.
   *
   * @throws UncheckedIOException when {@code out} fails (the client went away)
   */
  public long write(AuditEventQuery query, OutputStream out, LongConsumer written) {
    Long count = readOnly.execute(status -> stream(query, out, written));
    return count == null ? 0 : count;
  }

  private long stream(AuditEventQuery query, OutputStream out, LongConsumer written) {
    List<Object> binds = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder("select " + EventStoreRows.EVENT_COLUMNS + " from domain_event_entry e");
    if (query.subjectId() != null) {
      sql.append(
          " join audit_subject_event s on s.global_index = e.global_index and s.subject_id = ?");
      binds.add(query.subjectId());
    }
    sql.append(" where e.global_index > ?");
    binds.add(query.after());
    if (query.aggregateId() != null) {
      // Events published outside an aggregate are stored with their own id as aggregate id.
      sql.append(" and e.aggregate_identifier = ? and e.type is not null");
      binds.add(query.aggregateId());
    }
    if (query.payloadType() != null) {
      sql.append(" and e.payload_type = ?");
      binds.add(query.payloadType());
    }
    // Axon stores time stamps as ISO-8601 text of varying precision; compare them as instants.
    if (query.from() != null) {
      sql.append(" and cast(e.time_stamp as timestamptz) >= ?");
      binds.add(Timestamp.from(query.from()));
    }
    if (query.to() != null) {
      sql.append(" and cast(e.time_stamp as timestamptz) < ?");
      binds.add(Timestamp.from(query.to()));
    }
    sql.append(" order by e.global_index limit ?");
    binds.add(query.limit());

    long count = 0;
    try (Cursor<Record> rows =
            db.resultQuery(sql.toString(), binds.toArray()).fetchSize(FETCH_SIZE).fetchLazy();
        JsonGenerator line = json.getFactory().createGenerator(out)) {
      line.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      for (Record row : rows) {
        ObjectNode event = toJson(EventStoreRows.row(row));
        if (event == null) {
          continue;
        }
        line.writeTree(event);
        line.writeRaw('\n');
        count++;
        written.accept(count);
      }
      line.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return count;
  }

  /** One stored event as the line the API promises; {@code null} if an upcaster dropped it. */
  private ObjectNode toJson(StoredEventRow row) {
    String aggregateType = row.aggregateType();
    String payloadType = row.payloadType();
    var entry =
        new GenericDomainEventEntry<>(
            aggregateType,
            row.aggregateIdentifier(),
            row.sequenceNumber(),
            row.eventIdentifier(),
            row.timeStamp(),
            payloadType,
            row.payloadRevision(),
            row.payload(),
            row.metaData());
    IntermediateEventRepresentation upcast;
    try (Stream<IntermediateEventRepresentation> results =
        upcasters.upcast(Stream.of(new InitialEventRepresentation(entry, serializer)))) {
      upcast = results.findFirst().orElse(null);
    }
    if (upcast == null) {
      return null;
    }
    SerializedObject<JsonNode> stored = upcast.getData(JsonNode.class);
    JsonNode payload;
    if (UnknownSerializedType.class.equals(serializer.classForType(upcast.getType()))) {
      payload = stored.getData(); // a type this build no longer knows: as stored
    } else {
      Object event = serializer.deserialize(stored);
      payload = withErasures(json.valueToTree(event), event, stored.getData());
    }
    MetaData metaData = upcast.getMetaData().getObject();

    ObjectNode line = json.createObjectNode();
    line.put("globalIndex", row.globalIndex());
    line.put("eventId", entry.getEventIdentifier());
    line.put("type", payloadType.substring(payloadType.lastIndexOf('.') + 1));
    boolean domain = aggregateType != null;
    line.put("aggregateType", aggregateType);
    line.put("aggregateId", domain ? entry.getAggregateIdentifier() : null);
    if (domain) {
      line.put("sequence", entry.getSequenceNumber());
    } else {
      line.putNull("sequence");
    }
    line.put("timestamp", Instant.parse(row.timeStamp()).toString());
    ObjectNode meta = line.putObject("metadata");
    meta.put("actor", text(metaData.get("actor")));
    meta.put("correlationId", text(metaData.get("correlationId")));
    line.set("payload", payload);
    return line;
  }

  /**
   * Marks erased personal fields: a {@code @PersonalData} field that was stored as a string (an
   * encrypted envelope) but reads as {@code null} has lost its key. One stored as {@code null} or
   * not at all was never set and stays {@code null}.
   */
  static JsonNode withErasures(JsonNode payload, Object event, JsonNode stored) {
    if (!(payload instanceof ObjectNode fields)) {
      return payload;
    }
    for (PersonalFields.Field field : PersonalFields.of(event.getClass())) {
      if (field.valueOf(event) == null && stored.path(field.name()).isTextual()) {
        fields.put(field.name(), ERASED);
      }
    }
    return fields;
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}
