package io.parley.infra.privacy;

import static io.parley.migrations.jooq.Tables.DATA_SUBJECT_STATUS;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.query.subject.DataSubjectStatusProjection;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The retention sweep as a db-scheduler recurring task, and the erasure gauges. */
@Configuration(proxyBeanMethods = false)
public class RetentionConfig {

  static final String TASK = "retention-sweep";

  @Bean
  public RecurringTask<Void> retentionSweepTask(
      RetentionSweeper sweeper, RetentionProperties retention) {
    return Tasks.recurring(TASK, FixedDelay.of(retention.sweepInterval()))
        .execute((instance, context) -> sweeper.sweep());
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
