package io.parley.axon.saga;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.axonframework.common.jdbc.ConnectionProvider;

/**
 * Writes and prunes the saga journal: what Axon's saga store does not keep about a saga — when it
 * started, which events it handled (global index and payload type, never the payload), when it
 * ended, and which deadlines it scheduled. Plain JDBC on the caller's transaction (the connection
 * provider is transaction-aware), so a journal row commits or rolls back with the saga's own work.
 *
 * <p>Tables (created by the application's migrations): {@code saga_journal(saga_id, saga_type,
 * started_at, last_handled_at, ended_at)}, {@code saga_journal_event(saga_id, global_index,
 * event_type, handled_at)} and {@code saga_journal_deadline(deadline_id, saga_id, deadline_name,
 * scheduled_at)}.
 *
 * <p>Bounded: each write keeps at most {@code eventsPerSaga} events per saga (more only when one
 * batch brings more than that for one saga); {@link #prune} deletes what is older than the
 * retention.
 */
public class JdbcSagaJournal {

  /** One handled message: an event (with its global index) or a deadline (index null). */
  public record Entry(
      String sagaId,
      String sagaType,
      Long globalIndex,
      String eventType,
      Instant handledAt,
      boolean startHandler) {}

  /** A deadline a saga scheduled. */
  public record Deadline(String deadlineId, String sagaId, String name, Instant scheduledAt) {}

  /** What one {@link #prune} deleted. */
  public record Pruned(int sagas, int events, int deadlines) {}

  private static final String WRITE =
      """
      WITH e(saga_id, saga_type, global_index, event_type, handled_at, starts) AS (
        SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[],
                             ?::timestamptz[], ?::boolean[])),
      s AS (
        SELECT saga_id, min(saga_type) AS saga_type,
               min(handled_at) FILTER (WHERE starts) AS started_at,
               max(handled_at) AS last_handled_at,
               CASE WHEN saga_id = ANY(?::varchar[]) THEN max(handled_at) END AS ended_at,
               count(global_index) AS new_events
        FROM e GROUP BY saga_id),
      i AS (
        INSERT INTO saga_journal AS j (saga_id, saga_type, started_at, last_handled_at, ended_at)
        SELECT saga_id, saga_type, started_at, last_handled_at, ended_at FROM s
        ON CONFLICT (saga_id) DO UPDATE
          SET last_handled_at = excluded.last_handled_at,
              ended_at = coalesce(j.ended_at, excluded.ended_at)
        RETURNING j.saga_id),
      old AS (
        DELETE FROM saga_journal_event x USING s
        WHERE x.saga_id = s.saga_id
          AND x.global_index <= (SELECT k.global_index FROM saga_journal_event k
                                 WHERE k.saga_id = s.saga_id
                                 ORDER BY k.global_index DESC
                                 OFFSET greatest(? - s.new_events, 0) LIMIT 1)),
      gone AS (
        DELETE FROM saga_journal_deadline WHERE saga_id = ANY(?::varchar[]))
      INSERT INTO saga_journal_event (saga_id, global_index, event_type, handled_at)
      SELECT e.saga_id, e.global_index, e.event_type, e.handled_at
      FROM e JOIN i ON i.saga_id = e.saga_id
      WHERE e.global_index IS NOT NULL
      ON CONFLICT DO NOTHING
      """;

  private static final String DEADLINES =
      """
      WITH added AS (
        INSERT INTO saga_journal_deadline (deadline_id, saga_id, deadline_name, scheduled_at)
        SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::timestamptz[])
        ON CONFLICT DO NOTHING)
      DELETE FROM saga_journal_deadline WHERE deadline_id = ANY(?::varchar[])
      """;

  private final ConnectionProvider connections;
  private final int eventsPerSaga;
  private final String sagaTable;
  private final String deadlineTable;
  private final String deadlineTaskName;

  /**
   * @param eventsPerSaga how many handled events are kept per saga (the newest)
   * @param sagaTable Axon's saga entry table (a saga gone from it has ended)
   * @param deadlineTable db-scheduler's table ({@code scheduled_tasks})
   * @param deadlineTaskName the deadline manager's task name ({@code AxonDeadline})
   */
  public JdbcSagaJournal(
      ConnectionProvider connections,
      int eventsPerSaga,
      String sagaTable,
      String deadlineTable,
      String deadlineTaskName) {
    if (eventsPerSaga < 1) {
      throw new IllegalArgumentException("eventsPerSaga must be positive");
    }
    this.connections = connections;
    this.eventsPerSaga = eventsPerSaga;
    this.sagaTable = identifier(sagaTable);
    this.deadlineTable = identifier(deadlineTable);
    this.deadlineTaskName = deadlineTaskName;
  }

  public int eventsPerSaga() {
    return eventsPerSaga;
  }

  /** Records handled messages and the sagas that ended with them, in one statement. */
  public void write(List<Entry> entries, Set<String> endedSagas) {
    if (entries.isEmpty()) {
      return;
    }
    try (Connection c = connections.getConnection();
        PreparedStatement s = c.prepareStatement(WRITE)) {
      int n = entries.size();
      String[] ids = new String[n];
      String[] types = new String[n];
      Long[] indexes = new Long[n];
      String[] eventTypes = new String[n];
      Timestamp[] at = new Timestamp[n];
      Boolean[] starts = new Boolean[n];
      for (int k = 0; k < n; k++) {
        Entry e = entries.get(k);
        ids[k] = e.sagaId();
        types[k] = e.sagaType();
        indexes[k] = e.globalIndex();
        eventTypes[k] = e.eventType();
        at[k] = Timestamp.from(e.handledAt());
        starts[k] = e.startHandler();
      }
      Array ended = c.createArrayOf("varchar", endedSagas.toArray(String[]::new));
      s.setArray(1, c.createArrayOf("varchar", ids));
      s.setArray(2, c.createArrayOf("varchar", types));
      s.setArray(3, c.createArrayOf("bigint", indexes));
      s.setArray(4, c.createArrayOf("varchar", eventTypes));
      s.setArray(5, c.createArrayOf("timestamptz", at));
      s.setArray(6, c.createArrayOf("boolean", starts));
      s.setArray(7, ended);
      s.setInt(8, eventsPerSaga);
      s.setArray(9, ended);
      s.executeUpdate();
    } catch (SQLException e) {
      throw new SagaJournalException("Could not write the saga journal", e);
    }
  }

  /** Indexes deadlines sagas scheduled and forgets cancelled ones, in one statement. */
  public void writeDeadlines(Collection<Deadline> scheduled, Collection<String> cancelled) {
    if (scheduled.isEmpty() && cancelled.isEmpty()) {
      return;
    }
    try (Connection c = connections.getConnection();
        PreparedStatement s = c.prepareStatement(DEADLINES)) {
      s.setArray(
          1,
          c.createArrayOf(
              "varchar", scheduled.stream().map(Deadline::deadlineId).toArray(String[]::new)));
      s.setArray(
          2,
          c.createArrayOf(
              "varchar", scheduled.stream().map(Deadline::sagaId).toArray(String[]::new)));
      s.setArray(
          3,
          c.createArrayOf(
              "varchar", scheduled.stream().map(Deadline::name).toArray(String[]::new)));
      s.setArray(
          4,
          c.createArrayOf(
              "timestamptz",
              scheduled.stream()
                  .map(d -> Timestamp.from(d.scheduledAt()))
                  .toArray(Timestamp[]::new)));
      s.setArray(5, c.createArrayOf("varchar", cancelled.toArray(String[]::new)));
      s.executeUpdate();
    } catch (SQLException e) {
      throw new SagaJournalException("Could not write the saga deadline index", e);
    }
  }

  /**
   * Deletes the journal of sagas that ended before {@code now - retention}, of sagas gone from the
   * saga store without the journal seeing their end that handled nothing within the retention, and
   * index rows of deadlines no longer scheduled (fired).
   */
  public Pruned prune(Instant now, Duration retention) {
    Timestamp before = Timestamp.from(now.minus(retention));
    try (Connection c = connections.getConnection()) {
      int events;
      int sagas;
      int deadlines;
      String expired =
          "(ended_at < ? OR (ended_at IS NULL AND last_handled_at < ? AND NOT EXISTS"
              + " (SELECT 1 FROM "
              + sagaTable
              + " s WHERE s.saga_id = saga_journal.saga_id)))";
      try (PreparedStatement s =
          c.prepareStatement(
              "DELETE FROM saga_journal_event WHERE saga_id IN (SELECT saga_id FROM saga_journal"
                  + " WHERE "
                  + expired
                  + ")")) {
        s.setTimestamp(1, before);
        s.setTimestamp(2, before);
        events = s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("DELETE FROM saga_journal WHERE " + expired)) {
        s.setTimestamp(1, before);
        s.setTimestamp(2, before);
        sagas = s.executeUpdate();
      }
      try (PreparedStatement s =
          c.prepareStatement(
              "DELETE FROM saga_journal_deadline d WHERE NOT EXISTS (SELECT 1 FROM "
                  + deadlineTable
                  + " t WHERE t.task_name = ? AND t.task_instance = d.deadline_id)")) {
        s.setString(1, deadlineTaskName);
        deadlines = s.executeUpdate();
      }
      return new Pruned(sagas, events, deadlines);
    } catch (SQLException e) {
      throw new SagaJournalException("Could not prune the saga journal", e);
    }
  }

  private static String identifier(String name) {
    if (!name.matches("[A-Za-z_][A-Za-z0-9_.]*")) {
      throw new IllegalArgumentException("Not a table name: " + name);
    }
    return name;
  }

  /** The journal could not be written: the saga's batch fails with it and is retried. */
  public static class SagaJournalException extends RuntimeException {
    SagaJournalException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
