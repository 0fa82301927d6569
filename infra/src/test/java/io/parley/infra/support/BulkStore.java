package io.parley.infra.support;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * For the benchmarks outside the suite ({@code *Benchmark}): a store filled with real events in
 * bulk, and the CPU this JVM and the PostgreSQL server used. Real rows are made through the API
 * ({@link #conversations}) and then cloned with {@code generate_series} ({@link #fillTo}), so every
 * cloned {@code MessageSentEvent} is encrypted under a real user's key and reads as one.
 */
public final class BulkStore {

  private final JdbcTemplate jdbc;

  public BulkStore(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** {@code conversations} conversations of 10 messages each, through the API. */
  public static void conversations(ApiClient api, int conversations) {
    for (int c = 0; c < conversations; c++) {
      String user = api.token("bench-user-" + c, "USER");
      String room =
          api.postJson("/api/v1/conversations", user, Map.of("title", "bench room " + c))
              .json()
              .get("conversationId")
              .asText();
      for (int m = 0; m < 10; m++) {
        api.postJson(
            "/api/v1/conversations/" + room + "/messages",
            user,
            Map.of(
                "text",
                "a realistic message of some length, number " + m + " " + UUID.randomUUID()));
      }
    }
  }

  /**
   * Clones the stored {@code MessageSentEvent} rows until the store holds {@code events} rows (each
   * clone its own aggregate, sequence 0), then vacuums; stop the processors first. Returns the rows
   * stored.
   */
  public long fillTo(long events) {
    long stored = count("select count(*) from domain_event_entry");
    while (stored < events) {
      long n = Math.min(100_000, events - stored);
      jdbc.update(
          "insert into domain_event_entry (event_identifier, aggregate_identifier,"
              + " sequence_number, type, time_stamp, payload_type, payload_revision, payload,"
              + " meta_data)"
              + " select gen_random_uuid()::text, 'bench-' || ? || '-' || g, 0, s.type,"
              + " s.time_stamp, s.payload_type, s.payload_revision, s.payload, s.meta_data"
              + " from generate_series(1, ?) g"
              + " join (select row_number() over (order by global_index) - 1 as rn, *"
              + "       from domain_event_entry where payload_type like '%.MessageSentEvent') s"
              + " on s.rn = g % (select count(*) from domain_event_entry"
              + "               where payload_type like '%.MessageSentEvent')",
          stored, n);
      stored = count("select count(*) from domain_event_entry");
    }
    jdbc.execute("vacuum analyze domain_event_entry");
    return stored;
  }

  public long count(String sql) {
    return jdbc.queryForObject(sql, Long.class);
  }

  public static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  /** CPU used by this JVM and by the PostgreSQL server (its postmaster and every backend). */
  public record Cpu(long jvmNanos, long postgresNanos) {
    public Cpu minus(Cpu other) {
      return new Cpu(jvmNanos - other.jvmNanos, postgresNanos - other.postgresNanos);
    }
  }

  /** The CPU so far of this JVM and of the PostgreSQL server this store's connections reach. */
  public Cpu cpu() throws IOException {
    long jvm =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    long backend = count("select pg_backend_pid()");
    long postmaster = Long.parseLong(stat(backend)[3]);
    long ticks = 0;
    String[] master = stat(postmaster);
    for (int field = 13; field <= 16; field++) { // utime stime cutime cstime
      ticks += Long.parseLong(master[field]);
    }
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      for (Path process : (Iterable<Path>) processes::iterator) {
        String name = process.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String[] stat = stat(Long.parseLong(name));
          if (Long.parseLong(stat[3]) == postmaster) {
            ticks += Long.parseLong(stat[13]) + Long.parseLong(stat[14]);
          }
        } catch (IOException | RuntimeException gone) {
          // exited meanwhile
        }
      }
    }
    return new Cpu(jvm, ticks * 10_000_000L); // USER_HZ = 100
  }

  private static String[] stat(long pid) throws IOException {
    String line = Files.readString(Path.of("/proc/" + pid + "/stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String rest = line.substring(line.lastIndexOf(')') + 2);
    String[] after = rest.split(" ");
    String[] fields = new String[after.length + 2];
    fields[0] = String.valueOf(pid);
    fields[1] = "comm";
    System.arraycopy(after, 0, fields, 2, after.length);
    return fields;
  }
}
