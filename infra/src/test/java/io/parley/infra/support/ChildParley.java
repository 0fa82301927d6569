package io.parley.infra.support;

import io.parley.infra.database.PostmasterPidFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Parley as it runs for a user — {@code java io.parley.infra.ParleyApplication} in its own JVM, dev
 * mode, the embedded PostgreSQL in {@code dataDir} — on a port of its own: for tests that kill it
 * ({@code kill -9} of the JVM and its PostgreSQL) or stop it with SIGTERM, which an application in
 * the test JVM cannot undergo. Its output goes to a log file; failures quote its tail.
 */
public final class ChildParley implements AutoCloseable {

  /** A start takes ~10 s on a quiet machine; the build machine is shared. */
  private static final Duration READY_WAIT = Duration.ofSeconds(120);

  private final Process process;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private final ApiClient client;
  private Duration startup;

  private ChildParley(Process process, Path dataDir, Path logFile, int port) {
    this.process = process;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.port = port;
    this.client = new ApiClient(port);
  }

  /**
   * Starts Parley on {@code dataDir} and waits until it is ready (readiness probe 200), logging to
   * {@code logFile}. {@code extraArguments} are {@code --name=value} settings.
   */
  public static ChildParley start(Path dataDir, Path logFile, String... extraArguments) {
    int port = freePort();
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--server.port=" + port,
                "--parley.data-dir=" + dataDir,
                "--parley.db.url=",
                "--spring.profiles.active="));
    arguments.addAll(List.of(extraArguments));
    long started = System.nanoTime();
    Process process =
        ChildJvm.start(
            "io.parley.infra.ParleyApplication",
            false,
            logFile,
            // Small and quick to start: C1 only, one GC thread.
            List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
            arguments);
    ChildParley parley = new ChildParley(process, dataDir, logFile, port);
    parley.awaitReady();
    parley.startup = Duration.ofNanos(System.nanoTime() - started);
    return parley;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_WAIT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Parley exited with " + process.exitValue() + " while starting:\n" + logTail());
      }
      try {
        if (client.get("/actuator/health/readiness", null).status() == 200) {
          return;
        }
      } catch (UncheckedIOException notListeningYet) {
        // still starting
      }
      if (System.nanoTime() > deadline) {
        killWithPostgres();
        throw new IllegalStateException(
            "Parley was not ready within " + READY_WAIT.toSeconds() + " s:\n" + logTail());
      }
      ChildJvm.sleep(Duration.ofMillis(100));
    }
  }

  public ApiClient client() {
    return client;
  }

  public int port() {
    return port;
  }

  /** From launching the JVM to the readiness probe's first 200. */
  public Duration startup() {
    return startup;
  }

  public ProcessHandle jvm() {
    return process.toHandle();
  }

  /** The embedded PostgreSQL's postmaster, while it runs. */
  public Optional<ProcessHandle> postmaster() {
    Path files = dataDir.resolve("postgres");
    return PostmasterPidFile.runningOn(files);
  }

  /**
   * A crash: SIGKILL to the JVM, its descendants, the postmaster (daemonised by {@code pg_ctl}, so
   * not a descendant of the JVM) and all of PostgreSQL's processes, at the same moment; returns
   * once every one is gone. What PostgreSQL had not yet handed to the operating system (WAL buffers
   * in its shared memory) is lost; what it had written survives in the page cache. So this shows
   * what synchronous commit guarantees, not fsync: a power cut would lose the page cache too.
   */
  public void killWithPostgres() {
    // The JVM first: it must not answer anything on the strength of PostgreSQL's death.
    Set<ProcessHandle> victims = new LinkedHashSet<>();
    victims.add(process.toHandle());
    process.descendants().forEach(victims::add);
    postmaster()
        .ifPresent(
            postmaster -> {
              victims.add(postmaster);
              postmaster.descendants().forEach(victims::add);
            });
    ChildJvm.killAtOnce(victims);
  }

  /**
   * SIGTERM to the JVM, as a process manager stops a service; waits up to {@code bound} for it to
   * exit and returns its exit code.
   */
  public int terminate(Duration bound) {
    process.destroy();
    try {
      if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "Parley still runs " + bound.toSeconds() + " s after SIGTERM:\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /**
   * A fresh log file {@code target/child-logs/<name>.log} (kept after the run, for a failure's
   * post-mortem).
   */
  public static Path logFile(String name) {
    Path file = Path.of("target", "child-logs", name + ".log").toAbsolutePath();
    try {
      java.nio.file.Files.createDirectories(file.getParent());
      java.nio.file.Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Every line Parley has logged so far. */
  public List<String> logLines() {
    try {
      return java.nio.file.Files.readAllLines(logFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String logTail() {
    return ChildJvm.tail(logFile, 60);
  }

  /** Kills whatever is left (the JVM and its PostgreSQL), so no test leaves processes behind. */
  @Override
  public void close() {
    if (process.isAlive() || postmaster().isPresent()) {
      killWithPostgres();
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
