package io.parley.infra.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Another JVM started from the tests' own classpath, its output in a log file: for tests that must
 * kill a process (the test JVM cannot {@code kill -9} itself) or send it SIGTERM.
 */
public final class ChildJvm {

  private ChildJvm() {}

  /**
   * Starts {@code mainClass} with {@code arguments}. Without {@code withTestClasses} the classpath
   * is the application's and its dependencies' only, so the component scan of {@code io.parley}
   * finds no test configuration (a test's {@code @TestConfiguration} is found by a plain run).
   * Environment variables that configure Parley ({@code PARLEY_*}, {@code SPRING_*}, {@code
   * SERVER_*}) are not passed on: the arguments say everything.
   */
  public static Process start(
      String mainClass,
      boolean withTestClasses,
      Path logFile,
      List<String> jvmOptions,
      List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath(withTestClasses));
    command.add(mainClass);
    command.addAll(arguments);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("PARLEY_")
                    || name.startsWith("SPRING_")
                    || name.startsWith("SERVER_")
                    || name.startsWith("AXON_"));
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a JVM for " + mainClass, e);
    }
  }

  /** The test JVM's classpath (surefire's, not its manifest-only booter jar). */
  static String classpath(boolean withTestClasses) {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(classpath.split(File.pathSeparator))
        .filter(entry -> withTestClasses || !isTestClasses(entry))
        .collect(Collectors.joining(File.pathSeparator));
  }

  private static boolean isTestClasses(String entry) {
    Path path = Path.of(entry).normalize();
    return path.getFileName() != null && path.getFileName().toString().equals("test-classes");
  }

  /**
   * Sends SIGKILL to every process at once — one {@code kill} command, so the signals leave within
   * microseconds of each other (Java's {@link ProcessHandle#destroyForcibly()} one by one takes
   * milliseconds on a busy machine, long enough for a survivor to act on the others' death) — then
   * waits (bounded) until all are gone.
   */
  public static void killAtOnce(Collection<ProcessHandle> processes) {
    List<String> command = new ArrayList<>(List.of("kill", "-KILL"));
    processes.forEach(process -> command.add(Long.toString(process.pid())));
    try {
      new ProcessBuilder(command).redirectErrorStream(true).start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run kill", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    processes.forEach(ProcessHandle::destroyForcibly); // any the command could not reach
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (ProcessHandle process : processes) {
      while (isRunning(process)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Process " + process.pid() + " survived SIGKILL");
        }
        sleep(Duration.ofMillis(10));
      }
    }
  }

  /** Alive and not a zombie (see {@link io.parley.infra.database.PostmasterPidFile#isRunning}). */
  public static boolean isRunning(ProcessHandle process) {
    return io.parley.infra.database.PostmasterPidFile.isRunning(process);
  }

  /** The last {@code lines} lines of a log file, for failure messages. */
  public static String tail(Path logFile, int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
