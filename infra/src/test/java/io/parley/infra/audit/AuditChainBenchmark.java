package io.parley.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.infra.ParleyApplication;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.BulkStore;
import io.parley.infra.support.BulkStore.Cpu;
import io.parley.infra.support.IsolatedDatabaseInitializer;
import io.parley.query.audit.AuditChainProjection;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfiguration;

/**
 * Not part of the test suite (its name matches neither *Test nor *IT): the audit chain at a million
 * events (docs/benchmarks.md "Audit hash chain"). Real rows from the API are cloned with
 * generate_series up to {@code -Dbench.events} (default 1,000,000) while every processor is
 * stopped; then the audit-chain processor alone chains them (extension cost per event: this JVM's
 * CPU and PostgreSQL's), and {@code GET /api/v1/audit/integrity} verifies them (time). Run:
 *
 * <pre>
 * mvn -B verify -pl infra -am -Dtest=AuditChainBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Djacoco.skip=true -Dbench.events=1000000
 * </pre>
 */
@SpringBootTest(
    classes = ParleyApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"parley.data-dir=target/it-data", "parley.rate-limit.messages=100000"})
@ContextConfiguration(initializers = IsolatedDatabaseInitializer.class)
class AuditChainBenchmark {

  static final long EVENTS = Long.getLong("bench.events", 1_000_000);

  @LocalServerPort int port;
  @Autowired JdbcTemplate jdbc;
  @Autowired EventProcessingConfiguration processing;
  @Autowired MeterRegistry meters;

  @Test
  void chainAndVerifyAMillionEvents() throws Exception {
    ApiClient api = new ApiClient(port);
    BulkStore store = new BulkStore(jdbc);
    String officer = api.token("bench-officer", "COMPLIANCE");
    BulkStore.conversations(api, 20);
    awaitChained();
    processing.eventProcessors().values().forEach(EventProcessor::shutDown);

    long started = System.nanoTime();
    long stored = store.fillTo(EVENTS);
    report(
        "bulk fill to %,d rows: %.1f s, avg payload %d bytes, metadata %d bytes",
        stored,
        seconds(started),
        count("select avg(length(payload))::bigint from domain_event_entry"),
        count("select avg(length(meta_data))::bigint from domain_event_entry"));

    long chainedBefore = count("select count(*) from audit_chain");
    long total = stored;
    Timer extension = meters.get("parley.audit.chain.extension").timer();
    double extensionBefore = extension.totalTime(TimeUnit.NANOSECONDS);
    Cpu before = store.cpu();
    started = System.nanoTime();
    processing
        .eventProcessorByProcessingGroup(AuditChainProjection.PROCESSING_GROUP)
        .orElseThrow()
        .start();
    Awaitility.await()
        .atMost(Duration.ofMinutes(30))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> count("select count(*) from audit_chain") >= total);
    double chainSeconds = seconds(started);
    Cpu chained = store.cpu().minus(before);
    long added = total - chainedBefore;
    report(
        "chain extension: %,d events in %.1f s (%.0f events/s); CPU per event: JVM %.1f µs,"
            + " PostgreSQL %.1f µs; in extend() (read rows, hash, insert) %.1f µs wall per event",
        added,
        chainSeconds,
        added / chainSeconds,
        chained.jvmNanos() / 1e3 / added,
        chained.postgresNanos() / 1e3 / added,
        (extension.totalTime(TimeUnit.NANOSECONDS) - extensionBefore) / 1e3 / added);

    for (int run = 1; run <= 3; run++) {
      before = store.cpu();
      started = System.nanoTime();
      var answer =
          api.get("/api/v1/audit/integrity", officer, Map.of("X-Audit-Reason", "benchmark"));
      double verifySeconds = seconds(started);
      Cpu verified = store.cpu().minus(before);
      assertThat(answer.status()).isEqualTo(200);
      JsonNode json = answer.json();
      assertThat(json.get("verified").asBoolean()).as(json.toString()).isTrue();
      report(
          "verification %d: %,d events in %.1f s; CPU JVM %.1f s, PostgreSQL %.1f s; heap used"
              + " %d MB",
          run,
          json.get("events").asLong(),
          verifySeconds,
          verified.jvmNanos() / 1e9,
          verified.postgresNanos() / 1e9,
          (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
      assertThat(verifySeconds).isLessThan(60);
    }
  }

  private void awaitChained() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                count(
                        "select count(*) from domain_event_entry e where not exists"
                            + " (select 1 from audit_chain c where c.global_index = e.global_index)")
                    == 0);
  }

  private long count(String sql) {
    return jdbc.queryForObject(sql, Long.class);
  }

  private static double seconds(long startedNanos) {
    return BulkStore.seconds(startedNanos);
  }

  private static void report(String format, Object... arguments) {
    System.out.println("AUDIT-CHAIN-BENCH " + String.format(format, arguments));
  }
}
