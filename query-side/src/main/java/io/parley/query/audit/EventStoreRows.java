package io.parley.query.audit;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.springframework.stereotype.Component;

/**
 * The one class that knows Axon's {@code domain_event_entry} (ADR 0013): the chain reads through
 * it, and the audit replay ({@link AuditEventReader}) selects {@link #EVENT_COLUMNS} and maps them
 * with {@link #row(Record)}. jOOQ's code generation leaves Axon's tables out on purpose, so that no
 * projection queries the event store by hand; the audit chain is the exception, because what it
 * hashes is the row as stored, byte for byte, not the event Axon deserializes and upcasts. The
 * column names are written out here, once, and match V1__create_event_store.sql and infra's {@code
 * AxonStorageConfig}. Plain JDBC on jOOQ's (Spring's transactional) connection: verification
 * streams a million rows, and a server-side cursor with primitive getters keeps it in constant
 * memory and fast.
 */
@Component
class EventStoreRows {

  /** Rows per round trip while streaming (PostgreSQL uses a cursor inside a transaction). */
  static final int FETCH_SIZE = 5_000;

  /** A stored event's columns, in {@link StoredEventRow}'s order; {@code e} is the table. */
  static final String EVENT_COLUMNS =
      "e.global_index, e.event_identifier, e.type, e.aggregate_identifier, e.sequence_number,"
          + " e.time_stamp, e.payload_type, e.payload_revision, e.payload, e.meta_data";

  private final DSLContext db;

  EventStoreRows(DSLContext db) {
    this.db = db;
  }

  /**
   * The stored rows of these events (by Axon's event identifier), those not yet in the chain by
   * identifier, and the identifiers of those that are.
   */
  Lookup lookUp(String[] eventIdentifiers) {
    return db.connectionResult(
        connection -> {
          Map<String, StoredEventRow> unchained = new HashMap<>();
          Set<String> chained = new HashSet<>();
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "select "
                      + EVENT_COLUMNS
                      + ", c.global_index is not null as chained"
                      + " from domain_event_entry e"
                      + " left join audit_chain c on c.global_index = e.global_index"
                      + " where e.event_identifier = any(?)")) {
            Array array = connection.createArrayOf("varchar", eventIdentifiers);
            statement.setArray(1, array);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                StoredEventRow row = row(rows, 1);
                if (rows.getBoolean(11)) {
                  chained.add(row.eventIdentifier());
                } else {
                  unchained.put(row.eventIdentifier(), row);
                }
              }
            }
          }
          return new Lookup(unchained, chained);
        });
  }

  record Lookup(Map<String, StoredEventRow> unchained, Set<String> chained) {}

  /** One link of the chain with the stored row it covers ({@code row} null if that row is gone). */
  record Link(long position, long globalIndex, byte[] hash, StoredEventRow row) {}

  /** Receives links in chain order; returns false to stop. */
  interface LinkVisitor {
    boolean visit(Link link);
  }

  /**
   * Streams the chain in position order, each link joined to the row it covers, in the caller's
   * transaction (which must exist: without one PostgreSQL's driver reads the whole result first).
   */
  void streamChain(LinkVisitor visitor) {
    db.connection(
        connection -> {
          requireTransaction(connection);
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "select c.position, c.global_index, c.hash, "
                      + EVENT_COLUMNS
                      + " from audit_chain c"
                      + " left join domain_event_entry e on e.global_index = c.global_index"
                      + " order by c.position")) {
            statement.setFetchSize(FETCH_SIZE);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                rows.getLong(4);
                StoredEventRow row = rows.wasNull() ? null : row(rows, 4);
                Link link = new Link(rows.getLong(1), rows.getLong(2), rows.getBytes(3), row);
                if (!visitor.visit(link)) {
                  return;
                }
              }
            }
          }
        });
  }

  /** A stored event that is not in the chain although the chain has passed its global index. */
  record Unchained(long globalIndex, String timeStamp) {}

  /**
   * Stored events below the chain's highest covered global index that are not in the chain, in
   * global order (at most {@code limit}): gap-fillers the processor has not received yet, or rows
   * no processor will ever receive (inserted into an old hole by hand). The caller tells them apart
   * by their timestamp. One anti-join, in the caller's transaction.
   */
  List<Unchained> unchainedBelowHead(int limit) {
    return db.connectionResult(
        connection -> {
          List<Unchained> found = new ArrayList<>();
          try (PreparedStatement statement =
              connection.prepareStatement(
                  "select e.global_index, e.time_stamp from domain_event_entry e"
                      + " where e.global_index"
                      + " < (select coalesce(max(global_index), 0) from audit_chain)"
                      + " and not exists"
                      + " (select 1 from audit_chain c where c.global_index = e.global_index)"
                      + " order by e.global_index limit ?")) {
            statement.setInt(1, limit);
            try (ResultSet rows = statement.executeQuery()) {
              while (rows.next()) {
                found.add(new Unchained(rows.getLong(1), rows.getString(2)));
              }
            }
          }
          return found;
        });
  }

  /** Stored events above the chain's highest covered global index: the chain's lag. */
  long eventsAfterChainHead() {
    return db.connectionResult(
        connection -> {
          try (PreparedStatement statement =
                  connection.prepareStatement(
                      "select count(*) from domain_event_entry"
                          + " where global_index >"
                          + " (select coalesce(max(global_index), 0) from audit_chain)");
              ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  /** A row selected with {@link #EVENT_COLUMNS} first, read through jOOQ. */
  static StoredEventRow row(Record row) {
    return new StoredEventRow(
        row.get(0, Long.class),
        row.get(1, String.class),
        row.get(2, String.class),
        row.get(3, String.class),
        row.get(4, Long.class),
        row.get(5, String.class),
        row.get(6, String.class),
        row.get(7, String.class),
        row.get(8, byte[].class),
        row.get(9, byte[].class));
  }

  private static StoredEventRow row(ResultSet rows, int first) throws SQLException {
    return new StoredEventRow(
        rows.getLong(first),
        rows.getString(first + 1),
        rows.getString(first + 2),
        rows.getString(first + 3),
        rows.getLong(first + 4),
        rows.getString(first + 5),
        rows.getString(first + 6),
        rows.getString(first + 7),
        rows.getBytes(first + 8),
        rows.getBytes(first + 9));
  }

  private static void requireTransaction(Connection connection) throws SQLException {
    if (connection.getAutoCommit()) {
      throw new IllegalStateException("streaming the audit chain needs a transaction");
    }
  }
}
