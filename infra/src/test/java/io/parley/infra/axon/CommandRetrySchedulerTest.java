package io.parley.infra.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.BatchUpdateException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;

/**
 * The gateway retries a conflicting append even though the database's exception is its cause, and
 * retries nothing else.
 */
class CommandRetrySchedulerTest {

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final RetryScheduler scheduler = new AxonConfig().commandRetryScheduler(meters);

  @Test
  void aConflictingAppendIsRetried() {
    var conflict =
        new ConcurrencyException(
            "An event for aggregate [a] at sequence [2] was already inserted",
            new BatchUpdateException("duplicate key value", "23505", new int[0]));
    assertThat(retried(conflict)).isTrue();
    assertThat(meters.counter(AxonConfig.COMMAND_RETRIES).count()).isEqualTo(1);
  }

  @Test
  void aDecisionOnAStaleCopyIsRetried() {
    assertThat(retried(new ConcurrencyException("stale", new IllegalStateException("403"))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(retried(new IllegalArgumentException("bad input"))).isFalse();
    assertThat(retried(new IllegalStateException("database down"))).isFalse();
    assertThat(meters.counter(AxonConfig.COMMAND_RETRIES).count()).isZero();
  }

  private boolean retried(RuntimeException failure) {
    AtomicInteger dispatched = new AtomicInteger();
    return scheduler.scheduleRetry(
        GenericCommandMessage.asCommandMessage("command"),
        failure,
        List.of(),
        dispatched::incrementAndGet);
  }
}
