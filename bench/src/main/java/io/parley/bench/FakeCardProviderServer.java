package io.parley.bench;

import io.parley.testsupport.FakeCardProvider;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * An OpenAI-compatible card provider on WireMock ({@link FakeCardProvider}) in its own JVM for
 * benchmark runs with an external provider: it answers after {@code latencyMs}; {@code faultRate}
 * of the calls fail (half 500, half slower than {@code slowMs}). Prints {@code base.url=…} once up.
 *
 * <pre>java -cp parley-bench.jar io.parley.bench.FakeCardProviderServer 200 0.05 3000</pre>
 */
public final class FakeCardProviderServer {

  private FakeCardProviderServer() {}

  public static void main(String[] args) throws InterruptedException {
    long latency = args.length > 0 ? Long.parseLong(args[0]) : 200;
    double faultRate = args.length > 1 ? Double.parseDouble(args[1]) : 0.05;
    long slow = args.length > 2 ? Long.parseLong(args[2]) : 3000;
    FakeCardProvider provider =
        FakeCardProvider.start(
            Duration.ofMillis(latency), faultRate, Duration.ofMillis(slow), 20261201L);
    Runtime.getRuntime().addShutdownHook(new Thread(provider::close));
    System.out.println("base.url=" + provider.baseUrl());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
