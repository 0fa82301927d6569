package io.parley.infra.database;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells whether a failure means "the database is unavailable right now" — answered 503 with {@code
 * Retry-After}, not 500 — however Spring, jOOQ, Axon, HikariCP and the driver wrapped it.
 *
 * <p>What counts, found by restarting PostgreSQL under load (docs/reliability.md):
 *
 * <ul>
 *   <li>SQLState classes 08 (connection exception), 53 (insufficient resources: too many
 *       connections, disk full), 57 (operator intervention: {@code 57P01} "terminating connection
 *       due to administrator command" on a fast shutdown, {@code 57P02} crash shutdown, {@code
 *       57P03} "the database system is starting up") and 58 (system error);
 *   <li>the driver's and the pool's own transient and recoverable exceptions (a pool timeout while
 *       the server is down);
 *   <li>Spring's translations of the above, and a transaction that could not be created, committed
 *       or rolled back ({@link TransactionSystemException});
 *   <li>the pool's own refusal of a connection it closed after PostgreSQL ended it: an {@code
 *       SQLException} without SQLState, thrown by HikariCP's proxy, under Axon's event store as
 *       under Spring's transaction manager.
 * </ul>
 *
 * A commit that failed this way has an unknown outcome; clients retry with the same {@code
 * clientMessageId} or {@code Idempotency-Key} and get the first outcome (ADR 0003).
 */
public final class DatabaseUnavailable {

  private static final Set<String> UNAVAILABLE_SQL_STATE_CLASSES = Set.of("08", "53", "57", "58");

  private static final String HIKARI_PROXY_PACKAGE = "com.zaxxer.hikari.pool.";

  private DatabaseUnavailable() {}

  /**
   * Whether this one throwable (not its causes) says the database is unavailable; callers walk the
   * cause chain ({@code ProblemDetailsAdvice} with {@code Causes.find}).
   */
  public static boolean isUnavailable(Throwable t) {
    return t instanceof CannotGetJdbcConnectionException
        || t instanceof CannotCreateTransactionException
        || t instanceof TransactionSystemException
        || t instanceof DataAccessResourceFailureException
        || t instanceof TransientDataAccessException
        || t instanceof SQLTransientException
        || t instanceof SQLRecoverableException
        || t instanceof SQLException sql
            && (hasUnavailableState(sql) || isPoolsClosedConnection(sql));
  }

  /**
   * HikariCP answers any use of a connection it has already closed — because PostgreSQL ended it
   * ({@code 57P01}, an I/O error) and the pool marked it broken — with an {@code SQLException}
   * without SQLState, thrown by its proxy. Seen under Axon's event store and Spring's transaction
   * manager while PostgreSQL restarted.
   */
  private static boolean isPoolsClosedConnection(SQLException sql) {
    StackTraceElement[] frames = sql.getStackTrace();
    return sql.getSQLState() == null
        && frames.length > 0
        && frames[0].getClassName().startsWith(HIKARI_PROXY_PACKAGE);
  }

  private static boolean hasUnavailableState(SQLException sql) {
    String state = sql.getSQLState();
    return state != null
        && state.length() >= 2
        && UNAVAILABLE_SQL_STATE_CLASSES.contains(state.substring(0, 2));
  }
}
