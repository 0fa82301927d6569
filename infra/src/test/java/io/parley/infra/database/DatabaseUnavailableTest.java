package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.Causes;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The failure shapes seen while PostgreSQL restarted under load, and ones that must stay 4xx/5xx.
 */
class DatabaseUnavailableTest {

  @Test
  void fastShutdownOfTheServer_isUnavailable() {
    // "terminating connection due to administrator command", as the driver reports it
    PSQLException adminShutdown =
        new PSQLException(
            new ServerErrorMessage(
                "SFATAL\0C57P01\0Mterminating connection due to administrator command\0"));
    assertThat(adminShutdown.getSQLState()).isEqualTo("57P01");
    assertThat(unavailable(adminShutdown)).isTrue();
    assertThat(unavailable(new SQLException("starting up", "57P03"))).isTrue();
  }

  @Test
  void brokenConnection_isUnavailable() {
    assertThat(unavailable(new SQLException("I/O error", PSQLState.CONNECTION_FAILURE.getState())))
        .isTrue();
    assertThat(unavailable(new SQLTransientConnectionException("pool timeout"))).isTrue();
  }

  @Test
  void commitOnAConnectionThePoolAlreadyClosed_isUnavailable() {
    // HikariCP's closed connection throws an SQLException without SQLState; Spring's transaction
    // manager wraps it, and Axon's query bus wraps that in a future's exception.
    Throwable seen =
        new CompletionException(
            new TransactionSystemException(
                "Could not roll back JDBC transaction", new SQLException("Connection is closed")));
    assertThat(unavailable(seen)).isTrue();
  }

  @Test
  void aBatchEndedByTheServer_isUnavailable() {
    // pgjdbc fails a batch (Axon's event append) with the server's SQLState when PostgreSQL ends
    // the connection mid-batch.
    assertThat(
            unavailable(
                new java.sql.BatchUpdateException(
                    "batch entry 0 was aborted", "57P01", 0, new int[0], null)))
        .isTrue();
  }

  @Test
  void anyUseOfAConnectionThePoolClosed_isUnavailable() {
    // Axon's event store wraps it in its JdbcException; the exception is HikariCP's proxy's.
    SQLException closed = new SQLException("Connection is closed");
    closed.setStackTrace(
        new StackTraceElement[] {
          new StackTraceElement(
              "com.zaxxer.hikari.pool.ProxyConnection$ClosedConnection",
              "lambda$getClosedConnection$0",
              "ProxyConnection.java",
              562)
        });
    assertThat(
            unavailable(
                new org.axonframework.common.jdbc.JdbcException("Could not create", closed)))
        .isTrue();
  }

  @Test
  void constraintViolationsAndProgrammingErrors_areNotUnavailable() {
    assertThat(
            unavailable(
                new DataIntegrityViolationException(
                    "duplicate", new SQLException("unique_violation", "23505"))))
        .isFalse();
    assertThat(unavailable(new SQLException("syntax error", "42601"))).isFalse();
    assertThat(unavailable(new SQLException("no state"))).isFalse();
    assertThat(unavailable(new IllegalStateException("bug"))).isFalse();
  }

  /** As the problem advice asks: anywhere in the cause chain. */
  private static boolean unavailable(Throwable failure) {
    return Causes.find(failure, DatabaseUnavailable::isUnavailable).isPresent();
  }
}
