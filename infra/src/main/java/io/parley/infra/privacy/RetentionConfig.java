package io.parley.infra.privacy;

import static io.parley.migrations.jooq.Tables.DATA_SUBJECT_STATUS;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.query.subject.DataSubjectStatusProjection;
import io.parley.saga.retention.RetentionSweeper;
import java.time.Clock;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The retention sweep ({@code sagas}) over the data key store, run as a db-scheduler recurring task
 * (one node at a time, survives restarts), and the erasure gauges.
 */
@Configuration(proxyBeanMethods = false)
public class RetentionConfig {

  static final String TASK = "retention-sweep";

  @Bean
  public RetentionSweeper retentionSweeper(
      JooqDataKeyStore keys,
      RetentionProperties retention,
      EventGateway events,
      TransactionManager transactions,
      Clock clock) {
    return new RetentionSweeper(keys, retention, events, transactions, clock);
  }

  /** {@code parley.retention.sweeps}: sweeps run by this node. */
  @Bean
  public RecurringTask<Void> retentionSweepTask(
      RetentionSweeper sweeper, RetentionProperties retention, MeterRegistry meters) {
    Counter sweeps =
        Counter.builder("parley.retention.sweeps")
            .description("Retention sweeps run")
            .register(meters);
    return Tasks.recurring(TASK, FixedDelay.of(retention.sweepInterval()))
        .execute(
            (instance, context) -> {
              sweeper.sweep();
              sweeps.increment();
            });
  }

  @Bean
  public Gauge erasuresPending(DSLContext db, MeterRegistry meters) {
    return subjectsInStatus(
        "parley.erasures.pending",
        DataSubjectStatusProjection.PENDING,
        "Erasure requests in their grace period",
        db,
        meters);
  }

  @Bean
  public Gauge erasuresCompleted(DSLContext db, MeterRegistry meters) {
    return subjectsInStatus(
        "parley.erasures.completed",
        DataSubjectStatusProjection.ERASED,
        "Data subjects erased",
        db,
        meters);
  }

  private static Gauge subjectsInStatus(
      String name, String status, String description, DSLContext db, MeterRegistry meters) {
    return Gauge.builder(
            name, db, d -> d.fetchCount(DATA_SUBJECT_STATUS, DATA_SUBJECT_STATUS.STATUS.eq(status)))
        .description(description)
        .register(meters);
  }
}
