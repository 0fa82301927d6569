package io.parley.infra.privacy;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.migrations.jooq.Tables;
import java.time.Clock;
import org.axonframework.eventhandling.gateway.EventGateway;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The retention sweep as a db-scheduler recurring task, and the data-lifecycle gauges. */
@Configuration(proxyBeanMethods = false)
public class RetentionConfig {

  static final String TASK = "retention-sweep";

  @Bean
  public RetentionSweeper retentionSweeper(
      JooqDataKeyStore keys,
      RetentionProperties retention,
      EventGateway events,
      PlatformTransactionManager transactions,
      Clock clock,
      MeterRegistry meters) {
    return new RetentionSweeper(keys, retention, events, transactions, clock, meters);
  }

  @Bean
  public RecurringTask<Void> retentionSweepTask(
      RetentionSweeper sweeper, RetentionProperties retention) {
    return Tasks.recurring(TASK, FixedDelay.of(retention.sweepInterval()))
        .execute((instance, context) -> sweeper.sweep());
  }

  @Bean
  public Gauge erasuresPending(DSLContext db, MeterRegistry meters) {
    return Gauge.builder(
            "parley.erasures.pending",
            db,
            d ->
                d.fetchCount(
                    Tables.DATA_SUBJECT_STATUS,
                    Tables.DATA_SUBJECT_STATUS.STATUS.eq("ERASURE_PENDING")))
        .description("Erasure requests in their grace period")
        .register(meters);
  }

  @Bean
  public Gauge erasuresCompleted(DSLContext db, MeterRegistry meters) {
    return Gauge.builder(
            "parley.erasures.completed",
            db,
            d ->
                d.fetchCount(
                    Tables.DATA_SUBJECT_STATUS, Tables.DATA_SUBJECT_STATUS.STATUS.eq("ERASED")))
        .description("Data subjects erased")
        .register(meters);
  }
}
