package io.parley.infra.idempotency;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.parley.infra.ParleyProperties;
import java.time.Duration;
import org.axonframework.serialization.Serializer;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code Idempotency-Key} on every command: the interceptor and the cleanup of old keys. */
@Configuration(proxyBeanMethods = false)
public class IdempotencyConfig {

  static final String CLEANUP_TASK = "idempotency-key-cleanup";

  /**
   * Commands sent with an {@code Idempotency-Key} answer a retry with the first outcome; see {@link
   * IdempotencyKeyInterceptor}. Axon's {@code InterceptorAutoConfiguration} registers a command
   * handler interceptor bean on the command bus (registering it here as well would run it twice),
   * where it runs inside the command's transaction.
   */
  @Bean
  public IdempotencyKeyInterceptor idempotencyKeyInterceptor(DSLContext db, Serializer serializer) {
    return new IdempotencyKeyInterceptor(db, serializer);
  }

  /** Keys older than {@code parley.idempotency-key-retention} are forgotten, once an hour. */
  @Bean
  public RecurringTask<Void> idempotencyKeyCleanupTask(
      IdempotencyKeyInterceptor keys, ParleyProperties properties) {
    Duration retention = properties.idempotencyKeyRetention();
    return Tasks.recurring(CLEANUP_TASK, FixedDelay.of(Duration.ofHours(1)))
        .execute((instance, context) -> keys.forgetKeysOlderThan(retention));
  }
}
