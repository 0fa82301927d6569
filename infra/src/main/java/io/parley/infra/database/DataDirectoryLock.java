package io.parley.infra.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parley's claim on its data directory: an exclusive lock on {@code PARLEY_DATA_DIR/parley.lock},
 * held from before the embedded PostgreSQL starts until after it has stopped. The operating system
 * releases it when the process ends, however it ends (also on {@code kill -9}), so a lock that
 * cannot be taken means a live Parley runs on the directory. A PostgreSQL found running on the
 * directory while Parley holds the lock is therefore an orphan of an earlier, dead Parley.
 */
final class DataDirectoryLock implements AutoCloseable {

  static final String FILE_NAME = "parley.lock";

  /**
   * Directories locked by this JVM. Checked before opening the file: on Linux, closing any channel
   * to a locked file drops every lock this process holds on it, so a second attempt in the same JVM
   * must not even open the file.
   */
  private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code dataDirectory}, or refuses at once with a message naming it if a live Parley (in
   * this process or another) holds it.
   */
  static DataDirectoryLock acquire(Path dataDirectory) {
    Path directory;
    try {
      Files.createDirectories(dataDirectory);
      directory = dataDirectory.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot create the data directory " + dataDirectory.toAbsolutePath(), e);
    }
    if (!HELD_HERE.add(directory)) {
      throw inUse(directory);
    }
    FileChannel channel = null;
    try {
      channel =
          FileChannel.open(
              directory.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(channel);
      if (lock == null) {
        channel.close();
        HELD_HERE.remove(directory);
        throw inUse(directory);
      }
      return new DataDirectoryLock(directory, channel, lock);
    } catch (IOException e) {
      HELD_HERE.remove(directory);
      closeQuietly(channel);
      throw new UncheckedIOException("Cannot lock " + directory.resolve(FILE_NAME), e);
    }
  }

  /** The lock on {@code channel}'s file, or null if another process or this JVM holds it. */
  static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException heldInThisJvm) {
      return null;
    }
  }

  static DataDirectoryInUseException inUse(Path directory) {
    return new DataDirectoryInUseException(
        "Another Parley is running on the data directory "
            + directory
            + " (it holds "
            + directory.resolve(FILE_NAME)
            + "). Stop it first, or give this one another directory (PARLEY_DATA_DIR).");
  }

  Path directory() {
    return directory;
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it too
    } finally {
      closeQuietly(channel);
      HELD_HERE.remove(directory);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing held through it any more
      }
    }
  }
}
