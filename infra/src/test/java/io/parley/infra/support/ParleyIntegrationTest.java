package io.parley.infra.support;

import io.parley.infra.ParleyApplication;
import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * Base of the integration tests: the whole application on a random port, on {@link TestDatabase},
 * one Spring context shared by every subclass (keep their configuration identical).
 */
@SpringBootTest(
    classes = ParleyApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "parley.data-dir=target/it-data",
      // ConcurrentSendIT sends 200 messages per sender into one conversation; RateLimitIT runs
      // its own nodes with the default limit.
      "parley.rate-limit.messages=100000",
      // @SpringBootTest turns metrics export off by default; MetricsIT scrapes it.
      "management.prometheus.metrics.export.enabled=true"
    })
@ContextConfiguration(initializers = TestDatabaseInitializer.class)
public abstract class ParleyIntegrationTest {

  @LocalServerPort protected int port;

  protected ApiClient api;

  @Autowired private EventProcessingConfiguration processing;
  @Autowired private JdbcTemplate eventStoreQueries;

  @BeforeEach
  void createClient() {
    api = new ApiClient(port);
  }

  /** Reads are eventually consistent: wait (bounded) until {@code read} satisfies the condition. */
  protected static <T> T eventually(Supplier<T> read, java.util.function.Predicate<T> until) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(read::get, until::test);
  }

  /** The processor of {@code processingGroup} on this node. */
  protected StreamingEventProcessor processor(String processingGroup) {
    return processing
        .eventProcessorByProcessingGroup(processingGroup, StreamingEventProcessor.class)
        .orElseThrow();
  }

  /**
   * Waits (bounded) until every segment of {@code processingGroup} has processed every event in the
   * store now. Use it before asserting that something is absent: waiting for another row can pass
   * before the event that would wrongly add the absent one was handled (it may sit in another
   * segment).
   */
  protected void awaitCaughtUp(String processingGroup) {
    long head =
        eventStoreQueries.queryForObject(
            "select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
    eventually(
        () -> {
          var statuses = processor(processingGroup).processingStatus();
          Integer segments =
              eventStoreQueries.queryForObject(
                  "select count(*) from token_entry where processor_name = ?",
                  Integer.class,
                  processingGroup);
          // All segments claimed here (another node in another test may have held some).
          return statuses.size() == segments
              && statuses.values().stream()
                  .allMatch(
                      status ->
                          status.isCaughtUp() && status.getCurrentPosition().orElse(-1) >= head);
        },
        caughtUp -> caughtUp);
  }

  /**
   * Waits until this node's erasure saga processor holds its token: a saga processor that has not
   * started yet would begin at the head of the stream and miss an erasure requested before.
   */
  public static void awaitSagaProcessorReady(JdbcTemplate jdbc) {
    awaitProcessorClaimed(jdbc, "ErasureSagaProcessor");
  }

  /**
   * Waits until a node holds the token of {@code processor}: a saga processor that has not started
   * yet would begin at the head of the stream and miss what happened before.
   */
  public static void awaitProcessorClaimed(JdbcTemplate jdbc, String processor) {
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from token_entry where processor_name = ? and owner is not null",
                Integer.class,
                processor),
        count -> count > 0);
  }
}
