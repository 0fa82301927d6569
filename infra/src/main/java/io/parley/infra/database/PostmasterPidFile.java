package io.parley.infra.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * PostgreSQL's {@code postmaster.pid} in a data directory: line 1 the postmaster's PID, line 2 its
 * data directory, line 3 its start time (epoch seconds). PostgreSQL writes it at start and removes
 * it at a clean shutdown; after a crash it stays behind, naming a process that may be gone.
 *
 * @param pid the postmaster's process id
 * @param dataDirectory the data directory that postmaster serves
 * @param startedAt when it started, to the second
 */
public record PostmasterPidFile(long pid, Path dataDirectory, Instant startedAt) {

  public static final String FILE_NAME = "postmaster.pid";

  /** A start time this far from the file's is another process that reuses the PID. */
  private static final Duration START_TOLERANCE = Duration.ofSeconds(5);

  /**
   * The postmaster running on {@code dataDirectory} according to its {@code postmaster.pid},
   * checked as {@link #runningPostmaster(Path)} says; empty if none runs there.
   */
  public static Optional<ProcessHandle> runningOn(Path dataDirectory) {
    return read(dataDirectory).flatMap(pidFile -> pidFile.runningPostmaster(dataDirectory));
  }

  /** The file in {@code dataDirectory}; empty if there is none or it is not complete yet. */
  public static Optional<PostmasterPidFile> read(Path dataDirectory) {
    List<String> lines;
    try {
      lines = Files.readAllLines(dataDirectory.resolve(FILE_NAME));
    } catch (NoSuchFileException gone) {
      return Optional.empty();
    } catch (IOException unreadable) {
      throw new IllegalStateException(
          "Cannot read " + dataDirectory.resolve(FILE_NAME).toAbsolutePath(), unreadable);
    }
    if (lines.size() < 3) {
      return Optional.empty(); // being written by a starting postmaster
    }
    try {
      return Optional.of(
          new PostmasterPidFile(
              Long.parseLong(lines.get(0).trim()),
              Path.of(lines.get(1).trim()),
              Instant.ofEpochSecond(Long.parseLong(lines.get(2).trim()))));
    } catch (NumberFormatException malformed) {
      return Optional.empty();
    }
  }

  /**
   * The postmaster that wrote this file, if it still runs and serves {@code ourDataDirectory}: the
   * file names our directory (not a copy of another directory's file), and its PID runs a {@code
   * postgres} binary that is this postmaster, not a later process reusing the PID — its command
   * line names our directory ({@code -D}), or, where it does not say, it started when the file
   * says.
   */
  public Optional<ProcessHandle> runningPostmaster(Path ourDataDirectory) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(PostmasterPidFile::isRunning);
    if (process.isEmpty() || !isSameDirectory(dataDirectory, ourDataDirectory)) {
      return Optional.empty();
    }
    ProcessHandle.Info info = process.get().info();
    boolean postgres =
        info.command()
            .map(command -> Path.of(command).getFileName().toString())
            .filter(name -> name.equals("postgres") || name.equals("postgres.exe"))
            .isPresent();
    if (!postgres) {
      return Optional.empty();
    }
    Optional<Path> served = info.arguments().flatMap(PostmasterPidFile::dataDirectoryArgument);
    boolean ours =
        served.isPresent()
            ? isSameDirectory(served.get(), ourDataDirectory)
            : info.startInstant()
                .map(
                    start ->
                        Duration.between(startedAt, start).abs().compareTo(START_TOLERANCE) <= 0)
                .orElse(false);
    return ours ? process : Optional.empty();
  }

  /** The absolute {@code -D} directory of a postmaster's command line, if it names one. */
  private static Optional<Path> dataDirectoryArgument(String[] arguments) {
    for (int i = 0; i < arguments.length; i++) {
      String directory = null;
      if (arguments[i].equals("-D") && i + 1 < arguments.length) {
        directory = arguments[i + 1];
      } else if (arguments[i].startsWith("-D") && arguments[i].length() > 2) {
        directory = arguments[i].substring(2);
      }
      if (directory != null && Path.of(directory).isAbsolute()) {
        return Optional.of(Path.of(directory));
      }
    }
    return Optional.empty();
  }

  /**
   * Whether {@code process} still runs. A process that has exited but whose parent has not reaped
   * it yet (a zombie: an orphaned postmaster's parent is whatever adopted it) counts as gone, which
   * {@link ProcessHandle#isAlive()} does not do.
   */
  public static boolean isRunning(ProcessHandle process) {
    if (!process.isAlive()) {
      return false;
    }
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    try {
      String line = Files.readString(stat);
      // "pid (command) state ...": the command may hold spaces and parentheses.
      int end = line.lastIndexOf(')');
      return end < 0 || end + 2 >= line.length() || line.charAt(end + 2) != 'Z';
    } catch (NoSuchFileException gone) {
      return !Files.isDirectory(Path.of("/proc")) && process.isAlive(); // no procfs: trust Java
    } catch (IOException unreadable) {
      return process.isAlive();
    }
  }

  private static boolean isSameDirectory(Path a, Path b) {
    try {
      return Files.isSameFile(a, b);
    } catch (IOException missing) {
      return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
  }
}
