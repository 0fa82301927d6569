package io.parley.infra.support;

import io.parley.infra.ParleyApplication;
import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
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
}
