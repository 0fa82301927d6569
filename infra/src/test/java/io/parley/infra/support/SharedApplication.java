package io.parley.infra.support;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestContextManager;

/**
 * The one application context of the integration tests, for test engines other than JUnit Jupiter
 * (jqwik), which Spring's test support does not serve. {@link Anchor} has exactly the configuration
 * of every {@link ParleyIntegrationTest}, so Spring's test context cache hands back the context the
 * Jupiter tests use — started here if no Jupiter test ran first, reused by them if so — and it is
 * closed with the others when the test JVM ends.
 */
public final class SharedApplication {

  private SharedApplication() {}

  /** Configured by inheritance only; not a test (no methods, no matching name). */
  static final class Anchor extends ParleyIntegrationTest {}

  public static ApplicationContext context() {
    try {
      return new TestContextManager(Anchor.class).getTestContext().getApplicationContext();
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start the shared application context", e);
    }
  }

  /** The HTTP port of the shared application. */
  public static int port() {
    return Integer.parseInt(context().getEnvironment().getRequiredProperty("local.server.port"));
  }
}
