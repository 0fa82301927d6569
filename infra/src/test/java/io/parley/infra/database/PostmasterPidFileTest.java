package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which processes a {@code postmaster.pid} may name that are not a running PostgreSQL of ours:
 * those Parley must never signal. (The running one is found in {@link EmbeddedDatabaseIT}.)
 */
class PostmasterPidFileTest {

  @TempDir Path dir;

  @Test
  void noFile_orOneStillBeingWritten_isNoPostmaster() throws IOException {
    assertThat(PostmasterPidFile.read(dir)).isEmpty();
    Files.writeString(dir.resolve(PostmasterPidFile.FILE_NAME), "4242\n");
    assertThat(PostmasterPidFile.read(dir)).isEmpty();
  }

  @Test
  void readsPidDirectoryAndStartTime() throws IOException {
    write(4242, dir, 1_796_136_607L);
    assertThat(PostmasterPidFile.read(dir))
        .contains(new PostmasterPidFile(4242, dir, Instant.ofEpochSecond(1_796_136_607L)));
  }

  @Test
  void aPidReusedByAnotherProgram_isNotOurPostmaster() throws IOException {
    // This JVM is alive, started about now, and is not a postgres.
    write(ProcessHandle.current().pid(), dir, Instant.now().getEpochSecond());
    assertThat(PostmasterPidFile.read(dir).orElseThrow().runningPostmaster(dir)).isEmpty();
  }

  @Test
  void aPidOfAProcessThatIsGone_isNotOurPostmaster() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    write(gone.pid(), dir, Instant.now().getEpochSecond());
    assertThat(PostmasterPidFile.read(dir).orElseThrow().runningPostmaster(dir)).isEmpty();
  }

  @Test
  void aFileCopiedFromAnotherDirectory_isNotOurs() throws IOException {
    Path other = Files.createDirectory(dir.resolve("other"));
    Path ours = Files.createDirectory(dir.resolve("ours"));
    write(ProcessHandle.current().pid(), other, Instant.now().getEpochSecond());
    Files.copy(
        other.resolve(PostmasterPidFile.FILE_NAME), ours.resolve(PostmasterPidFile.FILE_NAME));
    assertThat(PostmasterPidFile.read(ours).orElseThrow().runningPostmaster(ours)).isEmpty();
  }

  private static void write(long pid, Path dataDirectory, long startedAt) throws IOException {
    // The first lines of PostgreSQL 17's file; the rest (port, socket, shared memory) is ignored.
    Files.writeString(
        dataDirectory.resolve(PostmasterPidFile.FILE_NAME),
        pid + "\n" + dataDirectory + "\n" + startedAt + "\n5432\n/tmp\nlocalhost\n  1  2\nready\n");
  }
}
